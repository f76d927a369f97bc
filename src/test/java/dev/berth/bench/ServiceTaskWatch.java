package dev.berth.bench;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One service's tasks as Kafka shows them, read from the beginning of berth.tasks (committed
 * records only, as agents read it) and berth.task-events: the tasks placed (a desired record of
 * the service's group), those reported RUNNING, and those placed and not yet reported STOPPED,
 * with the highest count of those seen at once (checked after every record). A STOPPED report
 * read before its task's desired record (another partition lagging) keeps that task out of the
 * count, so the highest count is exact or one record late, never inflated.
 */
final class ServiceTaskWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String group;
    private final RecordCodec codec = new RecordCodec();
    private final Set<String> placed = new HashSet<>();
    private final Set<String> running = new HashSet<>();
    private final Set<String> stopped = new HashSet<>();
    private final AtomicInteger placedCount = new AtomicInteger();
    private final AtomicInteger runningCount = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger highest = new AtomicInteger();
    private final AtomicLong firstSentAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastSentAt = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    /** Whether the watch has read what the topics held when it started. */
    private volatile boolean caughtUp;

    private ServiceTaskWatch(KafkaConsumer<String, byte[]> consumer, String serviceName) {
        this.consumer = consumer;
        this.group = "service:" + serviceName;
        this.thread = new Thread(this::run, "bench-service-tasks-" + serviceName);
        this.thread.setDaemon(true);
    }

    static ServiceTaskWatch start(String bootstrap, String serviceName) {
        KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, serviceName);
        List<TopicPartition> partitions = Stream.of("berth.tasks", "berth.task-events")
                .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        ServiceTaskWatch watch = new ServiceTaskWatch(consumer, serviceName);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    onRecord(record);
                }
                if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close();
        }
    }

    private void onRecord(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null || !(codec.decode(record.value()) instanceof RecordCodec.Decoded.Record r)) {
            return;
        }
        if (r.value() instanceof DesiredTask task) {
            onDesired(task, record.timestamp());
        } else if (r.value() instanceof TaskStateChange change) {
            onReport(change);
        }
    }

    private void onDesired(DesiredTask task, long sentAt) {
        if (!group.equals(task.group()) || !placed.add(task.taskId())) {
            return;
        }
        firstSentAt.accumulateAndGet(sentAt, Math::min);
        lastSentAt.accumulateAndGet(sentAt, Math::max);
        placedCount.incrementAndGet();
        if (!stopped.contains(task.taskId())) {
            highest.accumulateAndGet(live.incrementAndGet(), Math::max);
        }
    }

    private void onReport(TaskStateChange change) {
        String id = change.taskId();
        if (change.lastStatus() == TaskStatus.RUNNING && placed.contains(id) && running.add(id)) {
            runningCount.incrementAndGet();
        } else if (change.lastStatus() == TaskStatus.STOPPED && stopped.add(id) && placed.contains(id)) {
            live.decrementAndGet();
        }
    }

    /** Whether the watch has read every record that the topics held when it started. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** The service's tasks read on berth.tasks so far. */
    int placed() {
        return placedCount.get();
    }

    /**
     * When the scheduler sent the first and the last of the service's first desired records
     * (their CreateTime, epoch millis, this host's clock): what of a figure is the scheduler's.
     */
    long firstSentAt() {
        return firstSentAt.get();
    }

    long lastSentAt() {
        return lastSentAt.get();
    }

    /** The service's tasks reported RUNNING at least once. */
    int reportedRunning() {
        return runningCount.get();
    }

    /** The service's tasks placed and not yet reported STOPPED. */
    int live() {
        return live.get();
    }

    /** The highest {@link #live()} seen since the start or the last {@link #resetHighest()}. */
    int highest() {
        return highest.get();
    }

    void resetHighest() {
        highest.set(live.get());
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5_000);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String serviceName) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-service-tasks-" + serviceName);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
