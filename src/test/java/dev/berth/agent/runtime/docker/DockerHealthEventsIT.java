package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.Fixtures;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.model.HealthStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.testing.DockerCli;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A change of health wakes the task's worker: Docker announces it as {@code health_status},
 * and inspect reads the result. On the real engine of this host.
 */
class DockerHealthEventsIT {

    private static final String INSTANCE = UUID.randomUUID().toString().replace("-", "");
    private static DockerContainerRuntime runtime;

    @BeforeAll
    static void connect() {
        runtime = DockerContainerRuntime.connect(System.getenv().getOrDefault("DOCKER_HOST",
                "unix:///var/run/docker.sock"), Duration.ofSeconds(20), Duration.ofSeconds(30));
    }

    @AfterAll
    static void cleanUp() {
        DockerCli.removeContainersOfInstance(INSTANCE);
        runtime.close();
    }

    @Test
    void aHealthCheckResultIsAnnouncedAsAHealthStatusEventAndReadBackByInspect() throws Exception {
        // Given: db of the health fixture turns healthy after a second
        TaskDefinition definition = Fixtures.taskDefinition("health-task-definition.json");
        DesiredTask task = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, "t" + INSTANCE, null, "it", INSTANCE,
                definition, null, TaskStatus.RUNNING, null, null, Instant.now(), null, null);
        ContainerSpec db = ContainerSpecs.build(task, definition.containers().get(0));
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();

        // When
        try (ContainerRuntime.Subscription subscription = runtime.events(INSTANCE, events::add)) {
            String id = runtime.create(db);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // The stream connects asynchronously: start (a no-op once running) until it has seen the start.
                runtime.start(id);
                assertThat(events).extracting(ContainerEvent::kind).contains(ContainerEvent.Kind.START);
            });

            // Then
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(events).extracting(ContainerEvent::kind).contains(ContainerEvent.Kind.HEALTH_STATUS));
            assertThat(runtime.inspect(id).orElseThrow().health()).isEqualTo(HealthStatus.HEALTHY);
        }
    }
}
