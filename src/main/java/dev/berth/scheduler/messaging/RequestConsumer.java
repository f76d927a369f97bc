package dev.berth.scheduler.messaging;

import dev.berth.protocol.Backoff;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetter;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads berth.requests on the leader, and only there: the records of each partition one at a
 * time, in their order, and the partitions of a poll side by side (their plans and answers then
 * share the writer's transactions). Two records with the same key (request id) are never
 * handled at once, even in two partitions: the second waits until the first is answered, so it
 * sees that answer. Level-triggered:
 * it consumes while this replica has a writer (it leads and has caught up) and a handler is
 * attached; a follower opens no consumer at all. Each leadership term (each new writer)
 * assigns every partition and starts from the positions the group committed, since what the
 * last term read but did not commit was never answered.
 *
 * <p>A record's answer (its response, dead letter, the request's marker) and the record's
 * position are one transaction of the leader's fenced producer; the plan the request made
 * was committed before, with the request's marker ({@link dev.berth.scheduler.RequestScope}).
 * When that answer cannot be committed, nothing after the record is read: the consumer goes
 * back to the committed position and the record is handled again, which its marker makes
 * safe.
 */
public final class RequestConsumer implements Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often a follower looks whether it leads now: the latency a new leader adds to requests. */
    private static final Duration IDLE = Duration.ofMillis(100);

    /** A record of berth.requests, as the handler sees it. */
    public record Received(String topic, int partition, long offset, String key, byte[] value) {
    }

    /** Turns a record of berth.requests into what to write with its position. */
    public interface Handler {
        /**
         * Carries the request out (its plans are committed on the way) and returns its answer:
         * a response, a dead letter, the request's marker. Should not throw; if it does, the
         * record is set aside as a dead letter.
         */
        List<StateChange> handle(Received record);
    }

    private final KafkaClients clients;
    private final String groupId;
    private final Supplier<StateWriter> writers;
    private final Supplier<Handler> handlers;
    private final Clock clock;
    private final RecordCodec codec = new RecordCodec();
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private StateWriter term;
    /** Serve the partitions of a poll; one thread each, as many as there are partitions at most. */
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "berth-scheduler-request-worker");
        thread.setDaemon(true);
        return thread;
    });
    /** The keys of the records being handled now, one worker each; guarded by itself. */
    private final Set<String> keysInFlight = new HashSet<>();

    RequestConsumer(KafkaClients clients, String groupId, Supplier<StateWriter> writers, Supplier<Handler> handlers,
            Clock clock) {
        this.clients = clients;
        this.groupId = groupId;
        this.writers = writers;
        this.handlers = handlers;
        this.clock = clock;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(clients.settings().retryBackoff(), clients.settings().retryBackoffMax());
        while (running) {
            StateWriter writer = writers.get();
            Handler handler = handlers.get();
            if (writer == null || handler == null) {
                stopConsuming();
                pause(IDLE);
                continue;
            }
            try {
                if (writer != term) {
                    startTerm(writer);
                }
                if (!carryOutAll(handler, term, consumer.poll(POLL))) {
                    term = null;
                }
                if (term == null) {
                    pause(backoff.nextDelay());
                } else {
                    backoff.reset();
                }
            } catch (KafkaException | IllegalStateException e) {
                LOGGER.warnf("Reading %s failed (%s); starting again from the committed positions", topic(),
                        e.getMessage());
                stopConsuming();
                pause(backoff.nextDelay());
            }
        }
        stopConsuming();
        workers.shutdown();
    }

    private String topic() {
        return Topic.REQUESTS.name(clients.settings());
    }

    /** A new term starts where the group's committed positions are, on every partition there is now. */
    private void startTerm(StateWriter writer) {
        if (consumer == null) {
            consumer = clients.positionedConsumer("requests", groupId);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        Set<TopicPartition> all = new HashSet<>(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(all);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata position = committed.get(partition);
            if (position == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, position.offset());
            }
        }
        term = writer;
        LOGGER.infof("Serving %s (%d partitions) as the leader, from group %s's committed positions", topic(),
                partitions.size(), groupId);
    }

    /**
     * Carries out a poll's records, each partition's in order on a worker of its own; true when
     * every answer and position was committed (false: read again from the committed positions).
     */
    private boolean carryOutAll(Handler handler, StateWriter writer, ConsumerRecords<String, byte[]> polled) {
        if (polled.isEmpty()) {
            return true;
        }
        List<Future<Boolean>> partitions = new ArrayList<>();
        for (TopicPartition partition : polled.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = polled.records(partition);
            partitions.add(workers.submit(() -> {
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!running || writers.get() != writer || !carryOut(handler, writer, record)) {
                        return false;
                    }
                }
                return true;
            }));
        }
        boolean all = true;
        for (Future<Boolean> partition : partitions) {
            try {
                all &= partition.get();
            } catch (ExecutionException e) {
                LOGGER.errorf(e.getCause(), "Serving a partition of %s failed unexpectedly", topic());
                all = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                all = false;
            }
        }
        return all;
    }

    /** True when the record's answer and position are committed. */
    private boolean carryOut(Handler handler, StateWriter writer, ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key != null && !awaitKey(key)) {
            return false;
        }
        try {
            return answer(handler, writer, record);
        } finally {
            if (key != null) {
                releaseKey(key);
            }
        }
    }

    /** Takes the key for this thread, waiting while another worker handles a record of it; false if stopped. */
    private boolean awaitKey(String key) {
        synchronized (keysInFlight) {
            while (!keysInFlight.add(key)) {
                try {
                    keysInFlight.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (!running) {
                    return false;
                }
            }
            return true;
        }
    }

    private void releaseKey(String key) {
        synchronized (keysInFlight) {
            keysInFlight.remove(key);
            keysInFlight.notifyAll();
        }
    }

    private boolean answer(Handler handler, StateWriter writer, ConsumerRecord<String, byte[]> record) {
        Received received = new Received(record.topic(), record.partition(), record.offset(), record.key(),
                record.value());
        List<StateChange> answer = new ArrayList<>();
        try {
            answer.addAll(handler.handle(received));
        } catch (RuntimeException e) {
            LOGGER.errorf(e, "Handling %s-%d@%d failed unexpectedly", record.topic(), record.partition(),
                    record.offset());
            answer.add(deadLetter(received, "Berth failed to handle the request (" + e.getClass().getSimpleName()
                    + "); see the scheduler log."));
        }
        answer.add(new StateChange.Consume(groupId, record.topic(), record.partition(), record.offset() + 1));
        try {
            writer.commit(answer);
            return true;
        } catch (RuntimeException e) {
            LOGGER.warnf("The answer to %s-%d@%d (key %s) was not committed (%s); reading again from the committed "
                    + "position", record.topic(), record.partition(), record.offset(), record.key(), e.getMessage());
            return false;
        }
    }

    private StateChange deadLetter(Received record, String reason) {
        DeadLetter letter = new DeadLetter(BerthRecord.SCHEMA_VERSION, clock.millis(), record.topic(),
                record.partition(), record.offset(), reason, "berth-scheduler-requests", null, false, clock.instant());
        return new StateChange.Publish(Topic.DEAD_LETTERS, record.key(), codec.encode(letter));
    }

    private void stopConsuming() {
        term = null;
        if (consumer != null) {
            try {
                consumer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOGGER.debugf("Closing the requests consumer: %s", e.getMessage());
            }
            consumer = null;
        }
    }

    private synchronized void pause(Duration delay) {
        if (!running) {
            return;
        }
        try {
            wait(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        notifyAll();
    }
}
