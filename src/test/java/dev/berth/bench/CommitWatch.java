package dev.berth.bench;

import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When Kafka acknowledged a service's new desired tasks: a {@code read_uncommitted} reader of
 * berth.tasks, from its end when the watch starts, sees each of the service's records as soon
 * as the broker has it (before its transaction commits) and keeps the highest offset per
 * partition; once it has seen the expected count, the admin client's last stable offsets
 * ({@code read_committed}) are polled until they are past all of them: the moment their
 * transaction was committed, as a reader can first see them (or, if the reader was slower than
 * the commit, the moment it saw all of them: an upper bound).
 */
final class CommitWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(2);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Admin admin;
    private final String group;
    private final RecordCodec codec = new RecordCodec();
    private final Map<TopicPartition, Long> highest = new ConcurrentHashMap<>();
    private final AtomicInteger seen = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    private CommitWatch(String bootstrap, KafkaConsumer<String, byte[]> consumer, String serviceName) {
        this.consumer = consumer;
        this.group = "service:" + serviceName;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-commit-watch");
        this.admin = Admin.create(props);
        this.thread = new Thread(this::run, "bench-commit-watch-" + serviceName);
        this.thread.setDaemon(true);
    }

    /** Starts reading berth.tasks from its end now: call before the request whose records it awaits. */
    static CommitWatch start(String bootstrap, String serviceName) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-commit-watch-" + serviceName);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor("berth.tasks").stream()
                .map(p -> new TopicPartition("berth.tasks", p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // the end, fixed now, before the request is sent
        CommitWatch watch = new CommitWatch(bootstrap, consumer, serviceName);
        watch.thread.start();
        return watch;
    }

    private void run() {
        try {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.value() != null && codec.decode(record.value()) instanceof RecordCodec.Decoded.Record r
                            && r.value() instanceof DesiredTask task && group.equals(task.group())
                            && task.version() == 1) {
                        highest.merge(new TopicPartition(record.topic(), record.partition()), record.offset(),
                                Math::max);
                        seen.incrementAndGet();
                    }
                }
            }
        } catch (WakeupException e) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /**
     * Waits until {@code expected} new tasks of the service are written and their transaction
     * is committed; returns {@link System#nanoTime()} when the commit was first seen, or -1
     * when the patience ran out first.
     */
    long awaitCommitted(int expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        if (!BenchWait.until(patience, POLL, () -> seen.get() >= expected)) {
            return -1;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        highest.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
        ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, Long> stable = new HashMap<>();
            admin.listOffsets(latest, committed).all().get()
                    .forEach((partition, info) -> stable.put(partition, info.offset()));
            if (highest.entrySet().stream().allMatch(e -> stable.get(e.getKey()) > e.getValue())) {
                return System.nanoTime();
            }
            BenchWait.pace(POLL);
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5_000);
        admin.close(Duration.ofSeconds(5));
    }
}
