package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import dev.berth.testing.TopicRecords;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole life of a task on the scheduler's side, on a real broker: placed, reported
 * STOPPED by its agent, desired STOPPED in turn, and past the retention tombstoned on both
 * compacted topics, so they stay bounded.
 */
class TaskRetentionIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aStoppedTaskIsTombstonedOnBothTopicsAfterTheRetention() throws Exception {
        try (TestKafka kafka = TestKafka.start(); FakeAgentKafka agent = new FakeAgentKafka(kafka.bootstrapServers())) {
            SchedulerRole role = new SchedulerRole(TestKafkaSettings.of(kafka.bootstrapServers()),
                    config(Map.of("stopped-task-retention", "2s", "reconcile-interval", "200ms")), Clock.systemUTC());
            try {
                // Given: a leader, an instance and a task placed on it
                role.start();
                await().atMost(PATIENCE).until(() -> role.leader() instanceof SchedulerRole.Leader.Here
                        && role.isStateRebuilt());
                ControlPlane plane = role.controlPlane();
                plane.clusters().create("retention");
                agent.register("i-retention", "retention", 4096, 4096);
                await().atMost(PATIENCE).until(() -> !plane.state().instances("retention").isEmpty());
                plane.taskDefinitions().register(new TaskDefinition(null, "short-lived", null,
                        List.of(new ContainerDefinition("main", "busybox", 128, 64, null, null, null, null, null, null,
                                null, null, null, null, null)),
                        null, null, null, null, null, null, null, null, null, null, null));
                TaskView task = plane.tasks().run(new Tasks.TaskRequest("retention", "short-lived", null, null, null), 1)
                        .tasks().get(0);

                // When: its agent reports it stopped on its own
                agent.reportStopped(task.desired(), 5, "EssentialContainerExited", "Essential container in task exited");

                // Then: desired follows, and after the retention both topics hold a tombstone as its last record
                await().atMost(PATIENCE).until(() -> plane.state().allTasks().stream()
                        .noneMatch(t -> t.taskId().equals(task.taskId())));
                assertThat(lastValue(kafka, "berth.tasks", task.taskId())).isEqualTo("tombstone");
                assertThat(lastValue(kafka, "berth.task-events", task.taskId())).isEqualTo("tombstone");
                List<ConsumerRecord<String, String>> desired = TopicRecords.readAll(kafka.bootstrapServers(),
                        "berth.tasks", Duration.ofSeconds(30)).stream()
                        .filter(r -> task.taskId().equals(r.key()) && r.value() != null).toList();
                assertThat(desired).last().satisfies(r -> assertThat(r.value()).contains("\"desiredStatus\":\""
                        + TaskStatus.STOPPED.name() + "\""));
            } finally {
                role.stop();
            }
        }
    }

    private static String lastValue(TestKafka kafka, String topic, String key) {
        String last = "absent";
        for (ConsumerRecord<String, String> r : TopicRecords.readAll(kafka.bootstrapServers(), topic,
                Duration.ofSeconds(30))) {
            if (key.equals(r.key())) {
                last = r.value() == null ? "tombstone" : r.value();
            }
        }
        return last;
    }

    static SchedulerConfig config(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        overrides.forEach((k, v) -> properties.put("berth.scheduler." + k, v));
        return new SmallRyeConfigBuilder()
                .withMapping(SchedulerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "TaskRetentionIT", 500))
                .build().getConfigMapping(SchedulerConfig.class);
    }
}
