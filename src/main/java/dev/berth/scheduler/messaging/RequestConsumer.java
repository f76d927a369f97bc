package dev.berth.scheduler.messaging;

import dev.berth.protocol.Backoff;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.RequestTransaction;
import dev.berth.scheduler.SchedulerUnavailableException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads berth.requests on the leader, and only there, and serves its records side by side:
 * up to {@value #MAX_IN_FLIGHT} at once, whatever their partition, so that their plans and
 * answers share the leader's transactions (group commit) instead of each taking its own.
 * {@value #WORKERS} threads carry requests out; an answer waiting for its transaction holds
 * no thread, only its slot, so a transaction can carry the answers of hundreds of requests. Order is kept per key, as a parallel Kafka consumer keeps it: two
 * records with the same key (request id), in one partition or two, are never handled at once,
 * and the second sees the first's answer. Requests with different ids may act in any order,
 * as concurrent HTTP calls do. Level-triggered: it consumes while this replica has a writer (it
 * leads and has caught up) and a handler is attached; a follower opens no consumer at all.
 * Each leadership term (each new writer) assigns every partition and starts from the
 * positions the group committed, since what the last term read but did not commit was never
 * answered.
 *
 * <p>A record's answer (its response, dead letter, the request's marker) is one transaction of
 * the leader's fenced producer with the plans the request made: deferred ones (RunTask's,
 * StartTask's) ride in the answer, staged ones are held back by the writer until the answer
 * joins them ({@link dev.berth.scheduler.RequestTransaction}). The partition's position rides
 * in that transaction or, at most a few seconds later, in another ({@link ConsumedPositions}).
 * It is the partition's watermark: the lowest offset read and not yet answered (this record
 * aside), so it never passes a record whose answer is not committed. Records above it that
 * were answered are read again after a failover; the marker names the record it answered, and
 * such a record is not answered twice. When an answer cannot be committed, or the handler
 * throws instead of answering, the term ends: the records in hand finish, and reading starts
 * again from the committed positions, which never pass the record left unanswered.
 */
public final class RequestConsumer implements Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often a follower looks whether it leads now: the latency a new leader adds to requests. */
    private static final Duration IDLE = Duration.ofMillis(100);
    /**
     * Records read and not yet answered, at most: being carried out, or answered and waiting
     * for the transaction that commits the answer. At the bound, reading waits.
     */
    static final int MAX_IN_FLIGHT = 512;
    /** Threads carrying requests out, as many as the API's worker pool serves HTTP calls. */
    static final int WORKERS = 64;

    /**
     * A record of berth.requests, as the handler sees it: {@code key} is null when the record has
     * none, or one that is no UTF-8; {@code unreadableKey} holds such a key's bytes (else null).
     */
    public record Received(String topic, int partition, long offset, String key, byte[] value,
            byte[] unreadableKey) {

        public Received(String topic, int partition, long offset, String key, byte[] value) {
            this(topic, partition, offset, key, value, null);
        }

        /** The record, its key read as strict UTF-8: never two keys read as one. */
        static Received of(ConsumerRecord<byte[], byte[]> record) {
            byte[] key = record.key();
            String text = null;
            byte[] unreadable = null;
            if (key != null) {
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
                } catch (CharacterCodingException e) {
                    unreadable = key;
                }
            }
            return new Received(record.topic(), record.partition(), record.offset(), text, record.value(), unreadable);
        }

        /** Whether the record has a key that is no UTF-8: no request id, and no response can be keyed by it. */
        public boolean keyUnreadable() {
            return unreadableKey != null;
        }
    }

    /** Turns a record of berth.requests into what to write with its position. */
    public interface Handler {
        /**
         * Carries the request out and returns its answer: a response, a dead letter, the
         * request's marker, the deferred plans that commit with them, and the request's
         * transaction that its staged plans wait in. Throws when it cannot serve the record here
         * and now (the scheduler stops, the control plane is gone): the record is then not
         * answered, no position passes it, and it is read again, by this leader's next term or by
         * the next leader. A record that can never be served must be answered (an error), not
         * thrown on: it would be read again for ever.
         */
        Answer handle(Received record);

        /**
         * The request id the record is carried out as, read on the polling thread: records of
         * one id are carried out one after the other, whatever their keys and partitions. Null:
         * at any time (a record that names no id is answered without acting).
         */
        default String turnKey(Received record) {
            return record.key();
        }
    }

    /**
     * What a record's answer writes with its position, in one transaction, and what to do
     * once that transaction is over ({@code true}: committed); the request's transaction, whose
     * staged plans the answer joins, or null.
     */
    public record Answer(List<StateChange> changes, java.util.function.Consumer<Boolean> finished,
            RequestTransaction transaction) {
        public static Answer of(List<StateChange> changes) {
            return new Answer(changes, committed -> { }, null);
        }
    }

    private final KafkaClients clients;
    private final String groupId;
    /** When the partitions of berth.requests are next compared with those served (this consumer's clock). */
    private long nextPartitionCheck;
    private final Supplier<StateWriter> writers;
    private final Supplier<Handler> handlers;
    private final Clock clock;
    private final LeaderLoop loop = new LeaderLoop();
    private KafkaConsumer<byte[], byte[]> consumer;
    private volatile StateWriter term;
    /**
     * Carry the records handed over out; the queue holds at most {@link #MAX_IN_FLIGHT} of them
     * (the slots bound what is handed over).
     */
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
        Thread thread = new Thread(runnable, "berth-scheduler-request-worker");
        thread.setDaemon(true);
        return thread;
    });
    /** How many records are handed over and not done; guarded by itself. */
    private final Slots slots = new Slots();
    private final Watermarks watermarks = new Watermarks();
    /** Partitions a record was read from since the quiet ones' positions were last committed again. */
    private final Set<TopicPartition> readSinceRefresh = new HashSet<>();
    /** When the quiet partitions' positions were last committed again; 0: not in this term yet. */
    private long lastRefresh;
    /** Set by a worker whose answer was not committed: the term ends, reading starts again. */
    private volatile boolean failed;

    private static final class Slots {
        private int inFlight;
    }
    /**
     * The records handed over, by key, in the order they were read: a record is handled once it
     * is the first of its key. Guarded by itself.
     */
    private final Map<String, ArrayDeque<Received>> keysInFlight = new HashMap<>();

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
        while (loop.running()) {
            StateWriter writer = writers.get();
            Handler handler = handlers.get();
            if (writer == null || handler == null) {
                stopConsuming();
                loop.pause(IDLE);
                continue;
            }
            try {
                if (writer != term) {
                    endTerm();
                    startTerm(writer);
                }
                if (!dispatch(handler, term, consumer.poll(POLL)) || partitionsAdded()) {
                    endTerm();
                } else {
                    refreshQuietPositions();
                }
                if (term == null) {
                    loop.pause(backoff.nextDelay());
                } else {
                    backoff.reset();
                }
            } catch (KafkaException | IllegalStateException e) {
                LOGGER.warnf("Reading %s failed (%s); starting again from the committed positions", topic(),
                        e.getMessage());
                stopConsuming();
                loop.pause(backoff.nextDelay());
            }
        }
        stopConsuming();
        workers.shutdown();
    }

    /**
     * Hands a poll's records to the workers, each once a slot is free; false when the term
     * must end (an answer failed, the leadership changed, or this consumer stops) before all
     * were handed over.
     */
    private boolean dispatch(Handler handler, StateWriter writer, ConsumerRecords<byte[], byte[]> polled) {
        for (ConsumerRecord<byte[], byte[]> read : polled) {
            if (!loop.running() || failed || writers.get() != writer || !awaitSlot()) {
                return false;
            }
            Received record = Received.of(read);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            watermarks.read(partition, record.offset());
            readSinceRefresh.add(partition);
            String turn = handler.turnKey(record);
            if (turn != null) {
                queueKey(record, turn);
            }
            workers.execute(() -> serve(handler, writer, partition, record, turn));
        }
        return !failed;
    }

    /**
     * Whether the topic has more partitions than this term serves (an operator added some):
     * checked every {@link KafkaClients#PARTITIONS_SEEN_WITHIN}; the next term serves them all,
     * each from its committed position (a new one from its beginning). Records read again are
     * not answered twice (their markers).
     */
    private boolean partitionsAdded() {
        long now = clock.millis();
        if (now < nextPartitionCheck) {
            return false;
        }
        nextPartitionCheck = now + KafkaClients.PARTITIONS_SEEN_WITHIN.toMillis();
        int partitions = LeaderLoop.partitions(consumer, List.of(topic())).size();
        if (partitions > consumer.assignment().size()) {
            LOGGER.infof("%s has %d partitions now, not %d: serving them all", topic(), partitions,
                    consumer.assignment().size());
            return true;
        }
        return false;
    }

    /** Waits for a free slot; false if the term fails or this consumer stops meanwhile. */
    private boolean awaitSlot() {
        synchronized (slots) {
            while (slots.inFlight >= MAX_IN_FLIGHT) {
                if (!loop.running() || failed) {
                    return false;
                }
                try {
                    slots.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    loop.interrupted();
                    return false;
                }
            }
            slots.inFlight++;
            return true;
        }
    }

    /** Waits until every record handed over is done (its answer committed or failed), then forgets the term's reading. */
    private void endTerm() {
        synchronized (slots) {
            while (slots.inFlight > 0) {
                try {
                    slots.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    loop.interrupted();
                    break;
                }
            }
        }
        watermarks.clear();
        readSinceRefresh.clear();
        lastRefresh = 0;
        failed = false;
        term = null;
    }

    /**
     * Commits again the position of each partition that nothing was read from since the last
     * time (all of them when a term starts), every {@link ConsumedPositions#REFRESH}: its
     * answers carry no position, and Kafka expires a position of this group (it has no members)
     * a retention period after its last commit. A partition with no request for that long
     * would then be read from its beginning after a failover, and requests older than their
     * markers' day answered and acted on again. A partition whose records are still being
     * answered is left to its answers.
     */
    private void refreshQuietPositions() {
        long now = System.nanoTime();
        if (lastRefresh != 0 && now - lastRefresh < ConsumedPositions.REFRESH.toNanos()) {
            return;
        }
        List<StateChange> positions = new ArrayList<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (readSinceRefresh.contains(partition)) {
                continue;
            }
            Long position = watermarks.knows(partition) ? watermarks.settled(partition) : consumer.position(partition);
            if (position == null) {
                continue;
            }
            positions.add(new StateChange.Consume(groupId, partition.topic(), partition.partition(), position));
        }
        readSinceRefresh.clear();
        lastRefresh = now;
        if (!positions.isEmpty()) {
            term.submit(positions).whenComplete((done, error) -> {
                if (error != null) {
                    LOGGER.debugf("The quiet partitions' positions of %s were not committed again (%s); the next "
                            + "term or refresh commits them", topic(), error.getMessage());
                }
            });
        }
    }

    /**
     * One record, on a worker: carried out when no other record of its key is, then its answer
     * handed to the writer with its watermark. The record is done (its slot free, the next of
     * its key may go) once that transaction is over.
     */
    private void serve(Handler handler, StateWriter writer, TopicPartition partition, Received record,
            String turn) {
        boolean answering = false;
        try {
            if (turn != null && !awaitTurn(record, turn)) {
                failed = true;
                return;
            }
            answer(handler, writer, partition, record, turn);
            answering = true;
        } catch (SchedulerUnavailableException e) {
            LOGGER.infof("%s-%d@%d (key %s) is left unanswered, to be read again: %s", record.topic(),
                    record.partition(), record.offset(), record.key(), e.getMessage());
            failed = true;
        } catch (RuntimeException e) {
            LOGGER.errorf(e, "Serving %s-%d@%d (key %s) failed unexpectedly; it is left unanswered, to be read again",
                    record.topic(), record.partition(), record.offset(), record.key());
            failed = true;
        } finally {
            if (!answering) {
                done(record, turn);
            }
        }
    }

    /** The record's answer is committed or failed: its key's next record may go, and its slot is free. */
    private void done(Received record, String turn) {
        if (turn != null) {
            leaveTurn(record, turn);
        }
        synchronized (slots) {
            slots.inFlight--;
            slots.notifyAll();
        }
    }

    private String topic() {
        return Topic.REQUESTS.name(clients.settings());
    }

    /** A new term starts where the group's committed positions are, on every partition there is now. */
    private void startTerm(StateWriter writer) {
        if (consumer == null) {
            consumer = clients.positionedConsumerOfBytes("requests", groupId);
        }
        List<TopicPartition> partitions = LeaderLoop.partitions(consumer, List.of(topic()));
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

    /** Queues the record behind those of its key handed over before it (on the reading thread). */
    private void queueKey(Received record, String turn) {
        synchronized (keysInFlight) {
            keysInFlight.computeIfAbsent(turn, k -> new ArrayDeque<>()).add(record);
        }
    }

    /** Waits until the record is the first of its key; false if this consumer stops meanwhile. */
    private boolean awaitTurn(Received record, String turn) {
        synchronized (keysInFlight) {
            while (keysInFlight.get(turn).peek() != record) {
                if (!loop.running()) {
                    return false;
                }
                try {
                    keysInFlight.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The record is done: the next of its key may go. */
    private void leaveTurn(Received record, String turn) {
        synchronized (keysInFlight) {
            ArrayDeque<Received> queue = keysInFlight.get(turn);
            queue.remove(record);
            if (queue.isEmpty()) {
                keysInFlight.remove(turn);
            }
            keysInFlight.notifyAll();
        }
    }

    /**
     * Carries the record out and hands its answer and its partition's watermark to the writer,
     * without waiting: once the transaction is over the record is {@link #done}, and an answer
     * that was not committed ends the term. A handler that throws hands nothing over: the record
     * holds its partition's watermark until the term ends.
     */
    private void answer(Handler handler, StateWriter writer, TopicPartition partition, Received record,
            String turn) {
        Answer handled = handler.handle(record);
        List<StateChange> answer = new ArrayList<>(handled.changes());
        answer.add(new StateChange.Consume(groupId, record.topic(), record.partition(), record.offset() + 1,
                watermarks.of(partition)));
        Answer answering = handled;
        java.util.concurrent.CompletableFuture<Void> committed;
        try {
            committed = handled.transaction() == null ? writer.submit(answer)
                    : writer.answer(handled.transaction(), answer);
        } catch (RuntimeException e) {
            committed = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        committed.whenComplete((ok, error) -> {
            try {
                answering.finished().accept(error == null);
                if (error != null) {
                    failed = true;
                    Throwable cause = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                            ? c.getCause() : error;
                    LOGGER.warnf("The answer to %s-%d@%d (key %s) was not committed (%s); reading again from the "
                            + "committed position", record.topic(), record.partition(), record.offset(), record.key(),
                            cause.getMessage());
                }
            } finally {
                done(record, turn);
            }
        });
    }

    private void stopConsuming() {
        term = null;
        if (consumer != null) {
            LeaderLoop.closeNow(consumer, "requests");
            consumer = null;
        }
    }

    /**
     * Stops reading: no record is handed over any more, those in hand finish (their answers
     * commit while the writer takes them), then the consumer closes. {@code run} returns once
     * they have.
     */
    @Override
    public void close() {
        loop.close();
    }
}
