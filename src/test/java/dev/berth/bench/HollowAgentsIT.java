package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.TestRecords;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hollow agents speak the agent's protocol on a real broker: each instance registers with
 * its capacity, and a task placed on one is reported RUNNING, then STOPPED once desired STOPPED.
 */
class HollowAgentsIT {

    private static final int PARTITIONS = 6;
    private final RecordCodec codec = new RecordCodec();

    @Test
    void registersAndReportsWhatIsPlacedOnItsInstances() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            // Given: Berth's agent topics, and two hollow instances
            for (String topic : List.of("berth.instances", "berth.tasks", "berth.task-events")) {
                kafka.createTopic(topic, PARTITIONS);
            }
            Resources capacity = new Resources(2048, 4096, Set.of(22));
            try (HollowAgents agents = HollowAgents.start(kafka.bootstrapServers(), "hollow", 2, capacity)) {
                String instanceId = agents.instanceIds().get(1);

                // Then: both are registered in the cluster with their capacity
                List<InstanceRegistration> registrations = TopicRecords.awaitRecords(kafka.bootstrapServers(),
                        "berth.instances", 2, Duration.ofSeconds(30)).stream()
                        .map(r -> (InstanceRegistration) decode(r)).toList();
                assertThat(registrations.stream().map(InstanceRegistration::instanceId).distinct())
                        .containsExactlyInAnyOrderElementsOf(agents.instanceIds());
                assertThat(registrations).allSatisfy(r -> {
                    assertThat(r.cluster()).isEqualTo("hollow");
                    assertThat(r.registeredResources()).isEqualTo(capacity);
                });

                // When: a task is placed on one of them, then asked to stop
                DesiredTask task = TestRecords.desired("t-1", instanceId, TestRecords.definition("web", 1, 256, null), 1);
                place(kafka, task);
                place(kafka, task.stop(2, "UserInitiated", "done"));

                // Then: it is reported RUNNING, then STOPPED, by the instance it was placed on
                List<TaskStateChange> reports = TopicRecords.awaitRecords(kafka.bootstrapServers(),
                        "berth.task-events", 2, Duration.ofSeconds(30)).stream()
                        .map(r -> (TaskStateChange) decode(r)).toList();
                assertThat(reports).extracting(TaskStateChange::lastStatus)
                        .containsExactly(TaskStatus.RUNNING, TaskStatus.STOPPED);
                assertThat(reports).allSatisfy(r -> assertThat(r.instanceId()).isEqualTo(instanceId));
                assertThat(reports.get(1).version()).isGreaterThan(reports.get(0).version());
                assertThat(agents.sendFailures()).isZero();
            }
        }
    }

    private void place(TestKafka kafka, DesiredTask task) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("berth.tasks", Partitioning.forInstance(task.instanceId(), PARTITIONS),
                    task.taskId(), codec.encode(task))).get();
        }
    }

    private Object decode(ConsumerRecord<String, String> record) {
        return ((RecordCodec.Decoded.Record) codec.decode(record.value().getBytes(StandardCharsets.UTF_8))).value();
    }
}
