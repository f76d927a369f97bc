package dev.berth.bench;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads berth.task-events from its end as the benchmark runs, and notes when each task's
 * status was first read ({@link System#nanoTime()}): the scheduler's view of the agent.
 */
final class TaskEventWatch implements AutoCloseable {

    /**
     * How long one poll blocks when nothing comes. A poll returns as soon as records arrive, so
     * this costs no latency; a short one would only wake this thread hundreds of times a second
     * on the cores that the agent and the engine share while a task starts.
     */
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final RecordCodec codec = new RecordCodec();
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, Read> firstRead = new ConcurrentHashMap<>();

    /**
     * A status's first record: its CreateTime (the agent's producer, this host's clock), when it
     * was read, and the agent's own {@code reportedAt} and {@code startedAt} in it.
     */
    record Read(Instant created, Instant read, Instant reportedAt, Instant startedAt) {
    }
    private final AtomicInteger records = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    private TaskEventWatch(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::run, "bench-task-events");
        this.thread.setDaemon(true);
    }

    static TaskEventWatch start(KafkaClients clients) {
        KafkaConsumer<String, byte[]> consumer = clients.consumer("bench-task-events");
        String topic = Topic.TASK_EVENTS.name(clients.settings());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        TaskEventWatch watch = new TaskEventWatch(consumer);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    long now = System.nanoTime();
                    if (record.value() != null && codec.decode(record.value()) instanceof RecordCodec.Decoded.Record r
                            && r.value() instanceof TaskStateChange change) {
                        records.incrementAndGet();
                        String key = key(change.taskId(), change.lastStatus());
                        if (!firstSeen.containsKey(key)) {
                            // Before firstSeen: a waiter that sees the status finds its read too.
                            firstRead.put(key, new Read(Instant.ofEpochMilli(record.timestamp()), Instant.now(),
                                    change.reportedAt(), change.startedAt()));
                            firstSeen.put(key, now);
                            synchronized (this) {
                                notifyAll();
                            }
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close();
        }
    }

    boolean seen(String taskId, TaskStatus status) {
        return firstSeen.containsKey(key(taskId, status));
    }

    /**
     * When the status was first read; waits for it. The reading thread wakes the waiter: a
     * waiter that polled would add its own wake-ups to the cores that the agent and the engine
     * share, while the Docker baseline's calls wait without any.
     */
    long awaitStatus(String taskId, TaskStatus status, Duration patience) throws InterruptedException {
        String key = key(taskId, status);
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (this) {
            for (Long seen = firstSeen.get(key); seen == null; seen = firstSeen.get(key)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("task " + taskId + " was not " + status + " within " + patience);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return firstSeen.get(key);
    }

    /** The first record of a status already seen ({@link #awaitStatus}). */
    Read firstRead(String taskId, TaskStatus status) {
        return firstRead.get(key(taskId, status));
    }

    /** State changes read so far. */
    int count() {
        return records.get();
    }

    private static String key(String taskId, TaskStatus status) {
        return taskId + "/" + status;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5_000);
    }
}
