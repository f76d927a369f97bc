package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
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
    void aNonEssentialContainerThatCannotBeCreatedIsStoppedWithItsReasonAndTheTaskRunsWithoutIt() {
        // Given: the sidecar's image is nowhere to be pulled
        TaskWorker worker = new TaskWorker(Fixtures.desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withContainerField(Fixtures.webTaskDefinition(), "sidecar", "image", "nowhere/sidecar:1")),
                runtime, reported::add, clock, Duration.ofSeconds(30));

        // When
        worker.sync();

        // Then
        TaskStateChange last = reported.get(reported.size() - 1);
        assertThat(last.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(last("web").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(last("sidecar").lastStatus()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(last("sidecar").reason()).startsWith("CannotPullContainerError: ");
    }

    @Test
    void aNonEssentialContainerWhoseDependencyCanNeverBeMetIsStoppedAndTheTaskRunsWithoutIt() {
        // Given: a non-essential metrics container waits for init's SUCCESS; app does not wait
        TaskDefinition definition = Fixtures.withContainerField(Fixtures.taskDefinition(
                "depends-on-task-definition.json"), "app", "dependsOn", null);
        definition = withContainer(definition, "metrics", false, "init", "SUCCESS");
        TaskWorker worker = worker(definition);

        // When: init fails
        worker.sync();
        runtime.exit("t1", "init", 3);
        worker.sync();

        // Then: metrics never starts, app runs on
        TaskStateChange last = reported.get(reported.size() - 1);
        assertThat(last.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(last("app").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(last("metrics").lastStatus()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(last("metrics").reason()).contains("'metrics'", "'init'", "SUCCESS", "exited with code 3");
    }

    @Test
    void anEssentialContainerThatDependsOnOneThatNeverStartedFailsTheTaskNamingIt() {
        // Given: app (essential) waits for the non-essential init to start, whose image is nowhere
        TaskDefinition definition = Fixtures.withContainerField(Fixtures.withContainerField(
                Fixtures.taskDefinition("depends-on-task-definition.json"), "app", "dependsOn",
                List.of(java.util.Map.of("containerName", "init", "condition", "START"))),
                "init", "image", "nowhere/init:1");
        TaskWorker worker = worker(definition);

        // When
        worker.sync();

        // Then
        TaskStateChange last = reported.get(reported.size() - 1);
        assertThat(last.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(last.stoppedReason()).isEqualTo("Container 'app' cannot start: its dependency on 'init' "
                + "(condition START) can never be met: 'init' never started");
    }

    /** The definition with one more busybox container, essential or not, that depends on {@code on}. */
    private static TaskDefinition withContainer(TaskDefinition definition, String name, boolean essential, String on,
            String condition) {
        com.fasterxml.jackson.databind.ObjectMapper mapper = dev.berth.protocol.RecordCodec.newMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tree = mapper.valueToTree(definition);
        tree.withArray("containerDefinitions").addObject().put("name", name)
                .put("image", "berth-test/busybox:latest").put("memory", 32).put("essential", essential)
                .set("dependsOn", mapper.valueToTree(List.of(java.util.Map.of("containerName", on,
                        "condition", condition))));
        try {
            return mapper.treeToValue(tree, TaskDefinition.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aStopDockerKeepsRefusingIsTriedFiveTimesThenTheContainerIsTakenAsStoppedAndTheNextLayerStops() {
        // Given: app links to init, both run, and Docker refuses every stop of app
        TaskDefinition linked = Fixtures.withContainerField(Fixtures.withContainerField(
                Fixtures.taskDefinition("depends-on-task-definition.json"), "app", "dependsOn", null),
                "app", "links", List.of("init:db"));
        DesiredTask running = Fixtures.desired("t1", 1, TaskStatus.RUNNING, linked);
        TaskWorker worker = new TaskWorker(running, runtime, reported::add, clock, Duration.ofSeconds(30));
        worker.sync();
        String app = runtime.container("t1", "app").id();
        String init = runtime.container("t1", "init").id();
        runtime.stopsRefused.add(app);

        // When: the task is stopped, and synced four times
        worker.offer(running.stop(2, "UserInitiated", "done"));
        for (int i = 0; i < StopSequence.MAX_STOP_ATTEMPTS - 1; i++) {
            worker.sync();
        }

        // Then: it is STOPPING, and init, which app needs, was not signalled
        assertThat(reported.get(reported.size() - 1).lastStatus()).isEqualTo(TaskStatus.STOPPING);
        assertThat(runtime.stops).doesNotContainKey(init);

        // When: the fifth stop of app fails too
        worker.sync();

        // Then: app is taken as stopped with Docker's refusal, init is stopped, and so is the task
        TaskStateChange last = reported.get(reported.size() - 1);
        assertThat(last.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last("app").lastStatus()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(last("app").reason()).startsWith("CannotStopContainerError: cannot stop container");
        assertThat(last("init").exitCode()).isEqualTo(143);
        assertThat(runtime.stops).containsKey(init);
        assertThat(runtime.calls.stream().filter("stop"::equals).count()).as("five of app, one of init")
                .isEqualTo(StopSequence.MAX_STOP_ATTEMPTS + 1);
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
