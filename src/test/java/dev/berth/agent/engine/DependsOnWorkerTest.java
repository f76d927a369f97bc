package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker starts containers in dependsOn and links order, with a fake runtime and no threads. */
class DependsOnWorkerTest {

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private TaskWorker worker(TaskDefinition definition) {
        return new TaskWorker(Fixtures.desired("t1", 1, TaskStatus.RUNNING, definition), runtime, reported::add,
                clock, Duration.ofSeconds(30));
    }

    private ContainerState last(String name) {
        return reported.get(reported.size() - 1).containers().stream().filter(c -> c.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void aContainerWaitsInPendingUntilItsSuccessDependencyExitedWithZero() {
        // Given
        TaskWorker worker = worker(Fixtures.taskDefinition("depends-on-task-definition.json"));

        // When
        worker.sync();
        ContainerState waiting = last("app");
        runtime.exit("t1", "init", 0);
        worker.sync();

        // Then
        assertThat(waiting.lastStatus()).isEqualTo(ContainerStatus.PENDING);
        assertThat(waiting.runtimeId()).as("created, not started").isNotNull();
        assertThat(last("app").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(reported.get(reported.size() - 1).lastStatus()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void aLinkedContainerListedFirstStartsInTheSameSyncOnceItsTargetRuns() {
        // Given: app links to init and is listed before it
        TaskDefinition linked = Fixtures.withContainerField(Fixtures.withContainerField(
                Fixtures.taskDefinition("depends-on-task-definition.json"), "app", "dependsOn", null),
                "app", "links", List.of("init:db"));

        // When
        worker(linked).sync();

        // Then
        assertThat(last("init").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(last("app").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
    }
}
