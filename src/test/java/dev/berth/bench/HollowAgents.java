package dev.berth.bench;

import dev.berth.model.Resources;
import dev.berth.protocol.DesiredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Thousands of hollow container instances in one JVM, for benchmarks only (as Kubernetes'
 * kubemark): they register with their capacity and heartbeat every 10 s like real agents, and
 * report the tasks placed on them RUNNING (or STOPPED) without Docker. All of them share one
 * producer and one consumer; the scheduler cannot tell them from real agents on Kafka.
 */
public final class HollowAgents implements AutoCloseable {

    /** The real agent's heartbeat period (berth.agent.heartbeat-interval). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    private static final String INSTANCES = "berth.instances";
    private static final String TASKS = "berth.tasks";
    private static final String TASK_EVENTS = "berth.task-events";

    private final List<HollowInstance> instances;
    private final KafkaProducer<String, byte[]> producer;
    private final HollowHeartbeats heartbeats;
    private final HollowTaskReader reader;
    private final List<Thread> threads = new ArrayList<>();

    private HollowAgents(String bootstrap, List<HollowInstance> instances) {
        this.instances = instances;
        this.producer = producer(bootstrap);
        this.heartbeats = new HollowHeartbeats(instances, producer, INSTANCES, HEARTBEAT_INTERVAL);
        Set<String> ids = instances.stream().map(HollowInstance::instanceId).collect(Collectors.toUnmodifiableSet());
        this.reader = new HollowTaskReader(consumer(bootstrap), producer, TASKS, TASK_EVENTS, ids);
    }

    /**
     * Registers {@code count} instances of {@code capacity} in {@code cluster} (acknowledged by
     * Kafka when this returns), then heartbeats them and runs what is placed on them. The
     * Berth topics must exist (a scheduler creates them).
     */
    public static HollowAgents start(String bootstrap, String cluster, int count, Resources capacity) {
        Instant now = Instant.now();
        Random ids = new Random(cluster.hashCode());
        List<HollowInstance> instances = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            instances.add(new HollowInstance(instanceId(ids), cluster, capacity, now));
        }
        HollowAgents agents = new HollowAgents(bootstrap, instances);
        agents.heartbeats.registerAll();
        agents.heartbeats.spreadFirstBeats();
        agents.startThread("hollow-heartbeats", agents.heartbeats);
        agents.startThread("hollow-tasks", agents.reader);
        return agents;
    }

    /** 32 hex digits, as the real agent's instance ids (a UUID without dashes); seeded, so runs repeat. */
    private static String instanceId(Random ids) {
        return String.format("%016x%016x", ids.nextLong(), ids.nextLong());
    }

    private void startThread(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    public List<String> instanceIds() {
        return instances.stream().map(HollowInstance::instanceId).toList();
    }

    /** The tasks of {@code taskIds} that no hollow instance has read on berth.tasks yet. */
    public List<String> unseen(Collection<String> taskIds) {
        return taskIds.stream().filter(id -> !reader.hasSeen(id)).toList();
    }

    /** Tasks read on berth.tasks and reported (a task counts once, whatever its status). */
    public int tasksSeen() {
        return reader.seen();
    }

    /** Task reports Kafka acknowledged. */
    public long reportsAcknowledged() {
        return reader.acknowledged();
    }

    /** A desired task the scheduler wrote, or null before the first. */
    public DesiredTask template() {
        return reader.template();
    }

    public long heartbeatsSent() {
        return heartbeats.sent();
    }

    /** Sends that Kafka refused: heartbeats and reports. A benchmark with any is void. */
    public long sendFailures() {
        return heartbeats.failed() + reader.failed();
    }

    /** Desired tasks on berth.tasks for instances that are not hollow ones. */
    public long foreignTasks() {
        return reader.foreign();
    }

    @Override
    public void close() throws InterruptedException {
        heartbeats.stop();
        reader.stop();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        producer.close();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "hollow-agents");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "hollow-agents-tasks");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
