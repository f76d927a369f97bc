package dev.berth.bench;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts many desired tasks on berth.tasks at once, as copies of one the scheduler wrote (same
 * task definition snapshot, new ids, spread evenly over the instances and on each instance's
 * partition), so that a figure can be measured at a state size that placing them one RunTask
 * at a time would take too long to reach. The hollow agents then report them RUNNING, so the
 * scheduler holds them exactly as it would hold tasks it placed.
 */
final class TaskSeeder {

    private static final String TASKS = "berth.tasks";
    private final String bootstrap;
    private final int partitions;
    private final RecordCodec codec = new RecordCodec();

    TaskSeeder(String bootstrap, int partitions) {
        this.bootstrap = bootstrap;
        this.partitions = partitions;
    }

    /** Writes {@code count} desired RUNNING tasks like {@code template}; returns when Kafka acknowledged all. */
    void seed(DesiredTask template, List<String> instanceIds, int count) {
        String arnPrefix = template.taskArn().substring(0, template.taskArn().lastIndexOf('/') + 1);
        Instant now = Instant.now();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                String taskId = UUID.randomUUID().toString().replace("-", "");
                String instanceId = instanceIds.get(i % instanceIds.size());
                DesiredTask task = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId, arnPrefix + taskId,
                        template.cluster(), instanceId, template.taskDefinition(), template.overrides(),
                        TaskStatus.RUNNING, "bench-seed", template.group(), now, null, null);
                producer.send(new ProducerRecord<>(TASKS, Partitioning.forInstance(instanceId, partitions), taskId,
                        codec.encode(task)));
            }
            producer.flush();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
