package dev.berth.scheduler;

import dev.berth.testing.AgentAttributes;
import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.model.Resources;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an agent does on Kafka, with plain clients: registers an instance, reports task
 * states, and reads berth.tasks. No agent code: the roles meet only on Kafka.
 */
final class FakeAgentKafka implements AutoCloseable {

    private final String bootstrap;
    private final RecordCodec codec = new RecordCodec();
    private final KafkaProducer<String, byte[]> producer;

    FakeAgentKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    void register(String instanceId, String cluster, int cpu, int memory) throws Exception {
        Instant now = Instant.now();
        InstanceRegistration registration = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, now.toEpochMilli(),
                instanceId, cluster, instanceId + ".test", "0.1.0", new Resources(cpu, memory, Set.of(22)),
                AgentAttributes.DEFAULT, now, now, false, null, null, null);
        send("berth.instances", instanceId, registration);
    }

    /** A registration of version {@code version} from the agent session {@code session}. */
    void registerAs(String instanceId, String cluster, long version, String session) throws Exception {
        Instant now = Instant.now();
        send("berth.instances", instanceId, new InstanceRegistration(BerthRecord.SCHEMA_VERSION, version, instanceId,
                cluster, instanceId + ".test", "0.1.0", new Resources(2048, 512, Set.of(22)), AgentAttributes.DEFAULT,
                now, now, false, null, null, session));
    }

    void report(DesiredTask task, TaskStatus status, long version) throws Exception {
        Instant now = Instant.now();
        ContainerStatus container = status == TaskStatus.RUNNING ? ContainerStatus.RUNNING : ContainerStatus.PENDING;
        List<ContainerState> containers = new ArrayList<>();
        task.taskDefinition().containers().forEach(c -> containers.add(new ContainerState(c.name(),
                "runtime-" + c.name(), c.image(), container, null, null,
                List.of(new NetworkBinding("0.0.0.0", 80, 8080, "tcp")))));
        TaskStateChange change = new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, task.taskId(),
                task.cluster(), task.instanceId(), status, containers, null, null, null, null,
                status == TaskStatus.RUNNING ? now : null, null, null, now);
        send("berth.task-events", task.taskId(), change);
    }

    void reportStopped(DesiredTask task, long version, String stopCode, String reason) throws Exception {
        Instant now = Instant.now();
        List<ContainerState> containers = new ArrayList<>();
        task.taskDefinition().containers().forEach(c -> containers.add(new ContainerState(c.name(),
                "runtime-" + c.name(), c.image(), ContainerStatus.STOPPED, 7, null, List.of())));
        send("berth.task-events", task.taskId(), new TaskStateChange(BerthRecord.SCHEMA_VERSION, version,
                task.taskId(), task.cluster(), task.instanceId(), TaskStatus.STOPPED, containers, stopCode, reason,
                null, null, now, now, now, now));
    }

    private void send(String topic, String key, BerthRecord record) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, codec.encode(record))).get();
    }

    /** Every record of berth.tasks, with its partition. */
    List<ConsumerRecord<String, DesiredTask>> desiredTasks() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, DesiredTask>> result = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("berth.tasks").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (codec.decode(r.value()) instanceof RecordCodec.Decoded.Record d
                            && d.value() instanceof DesiredTask task) {
                        result.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), task));
                    }
                }
            }
        }
        return result;
    }

    @Override
    public void close() {
        producer.close();
    }
}
