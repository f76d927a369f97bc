package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The task state machine, driven through the engine with a fake runtime and no threads. */
class TaskWorkerTest {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final Duration DEFAULT_STOP = Duration.ofSeconds(30);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage(IMAGE);
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private TaskEngine engine(Executor executor) {
        return new TaskEngine(INSTANCE, runtime, reported::add, executor, clock, DEFAULT_STOP);
    }

    private TaskEngine engine() {
        return engine(Runnable::run);
    }

    private TaskStateChange last() {
        return reported.get(reported.size() - 1);
    }

    private static ContainerState container(TaskStateChange change, String name) {
        return change.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void runsADesiredTaskAndReportsPendingThenRunningWithIdsAndBindings() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));

        // When
        engine.caughtUp();

        // Then
        assertThat(reported).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        TaskStateChange running = last();
        assertThat(running.containers()).extracting(ContainerState::lastStatus)
                .containsOnly(ContainerStatus.RUNNING);
        assertThat(running.containers()).extracting(ContainerState::runtimeId).doesNotContainNull();
        assertThat(container(running, "web").networkBindings()).singleElement().satisfies(binding -> {
            assertThat(binding.containerPort()).isEqualTo(8080);
            assertThat(binding.hostPort()).isEqualTo(32768);
        });
        assertThat(running.startedAt()).isEqualTo(clock.instant());
        assertThat(running.version()).isGreaterThan(reported.get(0).version());
        assertThat(running.instanceId()).isEqualTo(INSTANCE);
    }

    @Test
    void aTaskPlacedAfterTheAgentStartedWithItsImageOnTheHostCostsOneCreateStartAndInspectPerContainer() {
        // Given: an agent that has read the desired state to its end
        TaskEngine engine = engine();
        engine.caughtUp();

        // When: a task with two containers is placed on it
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));

        // Then: no look for the image or for containers by name before the creates
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(runtime.calls).containsExactly("create", "create", "start", "start", "inspect", "inspect");
    }

    @Test
    void aTaskPlacedWhileTheEngineDoesNotAnswerRunsOnceItAnswersAgain() {
        // Given: an agent whose engine stopped answering
        TaskEngine engine = engine();
        engine.caughtUp();
        runtime.unavailable = true;

        // When: a task is placed, and the engine answers again later
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        List<TaskStatus> whileDown = reported.stream().map(TaskStateChange::lastStatus).toList();
        runtime.unavailable = false;
        engine.resync();

        // Then: nothing was declared while it did not answer, and the task runs
        assertThat(whileDown).doesNotContain(TaskStatus.STOPPING, TaskStatus.STOPPED);
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(runtime.creates).hasSize(2);
    }

    @Test
    void aStartTheEngineDidNotAnswerDeclaresNothingAndTheNextSyncFindsTheContainerRunning() {
        // Given: an engine that starts containers but answers the start too late
        TaskEngine engine = engine();
        engine.caughtUp();
        runtime.startsUnanswered = true;

        // When: a task is placed, and the engine answers in time again at the next sync
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        List<TaskStatus> whileUnanswered = reported.stream().map(TaskStateChange::lastStatus).toList();
        runtime.startsUnanswered = false;
        engine.resync();

        // Then: the task was never failed, no container was stopped, and it runs
        assertThat(whileUnanswered).doesNotContain(TaskStatus.STOPPING, TaskStatus.STOPPED);
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(last().containers()).extracting(ContainerState::lastStatus).containsOnly(ContainerStatus.RUNNING);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void aStartDockerDidNotAnswerInTimeWithTheContainerStillCreatedStopsTheTaskWithTheTimeout() {
        // Given: an engine that takes starts and never finishes them in time
        TaskEngine engine = engine();
        engine.caughtUp();
        runtime.startsTimeOut = true;

        // When: a task is placed, and the agent resyncs
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.resync();

        // Then: the task failed to start with ECS's reason, web was stopped in case the start
        // comes through, and no start was tried again
        String reason = "DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s";
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).isEqualTo(reason);
        assertThat(container(stopped, "web").reason()).isEqualTo(reason);
        assertThat(runtime.stops).containsKey(runtime.container("t1", "web").id());
        assertThat(runtime.calls.stream().filter("start"::equals).count()).isEqualTo(1);
    }

    @Test
    void anEssentialContainerWhoseRestartTheEngineRefusesStopsTheTaskWithItsExit() {
        // Given: a task whose essential container restarts in place after running a minute
        SettableClock moving = new SettableClock(clock.instant());
        TaskEngine engine = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, moving, DEFAULT_STOP);
        engine.desired(desired("t1", 1, TaskStatus.RUNNING, Fixtures.withContainerField(Fixtures.webTaskDefinition(),
                "web", "restartPolicy", Map.of("enabled", true, "restartAttemptPeriod", 60))));
        engine.caughtUp();
        moving.advance(Duration.ofMinutes(5));

        // When: it exits, and the engine refuses to start it again
        runtime.startsRefused = RuntimeError.CannotStartContainerError.because("port is already allocated");
        runtime.exit("t1", "web", 3);
        engine.resync();
        engine.resync();

        // Then: the exit stands and stops the task, as an essential container's exit does
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(container(stopped, "web").exitCode()).isEqualTo(3);
        assertThat(runtime.calls.stream().filter("start"::equals).count()).as("one start, one refused restart")
                .isEqualTo(3);
    }

    @Test
    void nothingHappensBeforeTheDesiredStateHasBeenReadToItsEnd() {
        // Given
        TaskEngine engine = engine();

        // When
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.resync();

        // Then
        assertThat(reported).isEmpty();
        assertThat(runtime.creates).isEmpty();
    }

    @Test
    void aTaskWhoseOnlyContainerExitsTooSoonToRestartStopsWithEcsCodeAndReason() {
        // Given: one essential container with a restart policy, running
        TaskEngine engine = engine();
        String container = Fixtures.sleeperTaskDefinition().containers().get(0).name();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING, Fixtures.withContainerField(
                Fixtures.sleeperTaskDefinition(), container, "restartPolicy",
                Map.of("enabled", true, "restartAttemptPeriod", 60))));
        engine.caughtUp();

        // When: it exits too soon to be restarted, and the sync that restarts what may be finds
        // every container stopped
        runtime.exit("t1", container, 1);
        engine.resync();

        // Then: an essential container's exit, not "every container stopped" without a code
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
    }

    @Test
    void anEssentialContainerExitStopsTheOthersAndTheTask() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();

        // When
        runtime.exit("t1", "web", 2);
        engine.resync();

        // Then
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(container(stopped, "web").exitCode()).isEqualTo(2);
        assertThat(container(stopped, "sidecar").exitCode()).isEqualTo(143);
        assertThat(container(stopped, "web").networkBindings()).as("the bindings it had are kept").hasSize(1);
        assertThat(runtime.stops).containsEntry(runtime.container("t1", "sidecar").id(), DEFAULT_STOP);
        assertThat(reported).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.STOPPED);
    }

    @Test
    void aNonEssentialContainerExitIsRecordedAndTheTaskKeepsRunning() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();

        // When
        runtime.exit("t1", "sidecar", 0);
        engine.resync();

        // Then
        TaskStateChange change = last();
        assertThat(change.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(container(change, "sidecar").lastStatus()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(container(change, "sidecar").exitCode()).isEqualTo(0);
        assertThat(container(change, "web").lastStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void aTaskWithoutAnEssentialContainerStopsOnceEveryContainerHasStopped() {
        // Given: a task whose containers are all non-essential (registered before that was refused)
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withContainerField(Fixtures.webTaskDefinition(), "web", "essential", false)));
        engine.caughtUp();

        // When: one exits, then the other
        runtime.exit("t1", "web", 0);
        engine.resync();
        TaskStatus afterOne = last().lastStatus();
        runtime.exit("t1", "sidecar", 1);
        engine.resync();

        // Then: the task runs while one container does, and is STOPPED, with no cause of the
        // agent's own as in ECS's agent, once none does
        TaskStateChange stopped = last();
        assertThat(afterOne).isEqualTo(TaskStatus.RUNNING);
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isNull();
        assertThat(stopped.stoppedReason()).isNull();
        assertThat(stopped.containers()).extracting(ContainerState::exitCode).containsExactly(0, 1);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void aTaskWithoutAnEssentialContainerWhoseContainersAllFailToStartStopsWithoutRunning() {
        // Given: two non-essential containers that Docker refuses to start
        TaskEngine engine = engine();
        engine.caughtUp();
        runtime.startsRefused = RuntimeError.CannotStartContainerError.because("port is already allocated");

        // When
        engine.desired(desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withContainerField(Fixtures.webTaskDefinition(), "web", "essential", false)));

        // Then
        assertThat(reported).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.STOPPED);
        assertThat(last().containers()).extracting(ContainerState::reason)
                .containsOnly("CannotStartContainerError: port is already allocated");
    }

    @Test
    void aDesiredStopStopsEachContainerWithItsTimeoutAndReportsTheStopTaskReason() {
        // Given
        TaskEngine engine = engine();
        DesiredTask running = desired("t1", 1, TaskStatus.RUNNING);
        engine.desired(running);
        engine.caughtUp();

        // When
        engine.desired(running.stop(2, "UserInitiated", "Scaling down for the night"));

        // Then
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("Scaling down for the night");
        assertThat(stopped.containers()).extracting(ContainerState::exitCode).containsOnly(143);
        assertThat(runtime.stops).containsEntry(runtime.container("t1", "web").id(), Duration.ofSeconds(5))
                .containsEntry(runtime.container("t1", "sidecar").id(), DEFAULT_STOP);
        assertThat(runtime.containerCount()).as("containers are kept, not removed").isEqualTo(2);
    }

    @Test
    void aStopTimeoutOfZeroOrLessIsNotSetAndTheContainerGetsTheAgentsStopTimeout() {
        // Given: web with a stopTimeout of 0, sidecar with one of -1
        TaskEngine engine = engine();
        DesiredTask running = desired("t1", 1, TaskStatus.RUNNING, Fixtures.withContainerField(
                Fixtures.withContainerField(Fixtures.webTaskDefinition(), "web", "stopTimeout", 0),
                "sidecar", "stopTimeout", -1));
        engine.desired(running);
        engine.caughtUp();

        // When
        engine.desired(running.stop(2, "UserInitiated", "done"));

        // Then: each gets the agent's, as ECS's agent gives it, not an immediate SIGKILL
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(runtime.stops).containsEntry(runtime.container("t1", "web").id(), DEFAULT_STOP)
                .containsEntry(runtime.container("t1", "sidecar").id(), DEFAULT_STOP);
    }

    @Test
    void containersThatNeedNothingOfEachOtherAreStoppedTogether() throws Exception {
        // Given: web and sidecar run, and each stop takes until the test lets it end
        TaskEngine engine = engine();
        DesiredTask running = desired("t1", 1, TaskStatus.RUNNING);
        engine.desired(running);
        engine.caughtUp();
        runtime.stopsBegun = new java.util.concurrent.CountDownLatch(2);
        runtime.stopGate = new java.util.concurrent.CountDownLatch(1);

        // When the task is stopped
        Thread stopping = new Thread(() -> engine.desired(running.stop(2, "UserInitiated", "done")));
        stopping.start();
        boolean bothBegan = runtime.stopsBegun.await(10, java.util.concurrent.TimeUnit.SECONDS);
        runtime.stopGate.countDown();
        stopping.join(10_000);

        // Then: both stops were under way at once, and the task stopped
        assertThat(bothBegan).as("the second stop began before the first ended").isTrue();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(runtime.stops).hasSize(2);
    }

    @Test
    void anImageThatCannotBePulledFailsTheTaskToStart() {
        // Given
        TaskDefinition definition = Fixtures.webTaskDefinition();
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING, withImage(definition, "registry.example/web:9")));

        // When
        engine.caughtUp();

        // Then
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError: pull access denied for "
                + "registry.example/web:9");
        assertThat(container(stopped, "web").reason()).startsWith("CannotPullContainerError: ");
        assertThat(stopped.containers()).extracting(ContainerState::lastStatus).containsOnly(ContainerStatus.STOPPED);
        assertThat(stopped.pullStartedAt()).isNotNull();
        assertThat(runtime.creates).isEmpty();
    }

    @Test
    void whenAnEssentialContainersImageCannotBePulledTheOtherImagesAreNotPulledForNothing() {
        // Given: a host that pulls before every create, and a task whose first, essential
        // container's image cannot be pulled
        runtime.pullBehavior = ImagePullBehavior.ALWAYS;
        TaskDefinition definition = Fixtures.taskDefinition("essential-pair-task-definition.json");
        definition = Fixtures.withContainerField(definition, "web", "image", "registry.example/web:9");
        definition = Fixtures.withContainerField(definition, "worker", "image", "registry.example/worker:1");
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING, definition));

        // When
        engine.caughtUp();

        // Then: the task failed to start on the first pull, and no other image was pulled
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError: pull access denied for "
                + "registry.example/web:9");
        assertThat(runtime.pulls).containsExactly("registry.example/web:9");
        assertThat(runtime.creates).isEmpty();
    }

    @Test
    void aRestartedAgentAdoptsRunningContainersInsteadOfCreatingThemAgain() {
        // Given: the task's containers run, made by an earlier agent process
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskEngine before = engine();
        before.desired(task);
        before.caughtUp();
        String webId = runtime.container("t1", "web").id();
        int createdBefore = runtime.creates.size();
        reported.clear();

        // When: a new engine rebuilds from Kafka and Docker
        TaskEngine after = engine();
        after.desired(task);
        after.caughtUp();

        // Then
        assertThat(runtime.creates).hasSize(createdBefore);
        assertThat(reported).extracting(TaskStateChange::lastStatus).containsExactly(TaskStatus.RUNNING);
        assertThat(container(last(), "web").runtimeId()).isEqualTo(webId);
    }

    @Test
    void aRestartedAgentReportsATaskWhoseEssentialContainerExitedAsStoppedAndDoesNotRunItAgain() {
        // Given: the essential container exited while no agent was watching
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskEngine before = engine();
        before.desired(task);
        before.caughtUp();
        runtime.exit("t1", "web", 137);
        int startsBefore = runtime.starts.size();
        reported.clear();

        // When
        TaskEngine after = engine();
        after.desired(task);
        after.caughtUp();

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(container(last(), "web").exitCode()).isEqualTo(137);
        assertThat(runtime.starts).hasSize(startsBefore);
    }

    @Test
    void anOlderOrRepeatedVersionIsIgnored() {
        // Given
        TaskEngine engine = engine();
        DesiredTask running = desired("t1", 5, TaskStatus.RUNNING);
        engine.desired(running);
        engine.caughtUp();

        // When
        engine.desired(running.stop(3, "UserInitiated", "stale"));
        engine.desired(running.stop(5, "UserInitiated", "repeat"));

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void theLatestDesiredUpdateReplacesOnesNotYetActedOn() {
        // Given: an executor that holds work until the test runs it
        Queue<Runnable> queued = new ArrayDeque<>();
        TaskEngine engine = engine(queued::add);
        DesiredTask running = desired("t1", 1, TaskStatus.RUNNING);
        engine.desired(running);
        engine.caughtUp();

        // When
        engine.desired(running.stop(2, "ServiceSchedulerInitiated", "Scaled in"));
        while (!queued.isEmpty()) {
            queued.poll().run();
        }

        // Then
        assertThat(runtime.creates).isEmpty();
        assertThat(reported).extracting(TaskStateChange::lastStatus).containsExactly(TaskStatus.STOPPED);
        assertThat(last().stopCode()).isEqualTo("ServiceSchedulerInitiated");
        assertThat(last().containers()).extracting(ContainerState::reason)
                .containsOnly("Task stopped before the container started");
    }

    @Test
    void whileDockerDoesNotAnswerNothingIsDeclaredAndTheNextResyncCatchesUp() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        runtime.exit("t1", "web", 1);
        runtime.unavailable = true;
        int before = reported.size();

        // When
        engine.resync();
        int whileUnavailable = reported.size();
        runtime.unavailable = false;
        engine.resync();

        // Then
        assertThat(whileUnavailable).isEqualTo(before);
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(container(last(), "web").exitCode()).isEqualTo(1);
    }

    @Test
    void aContainerRemovedOutsideBerthCountsAsStopped() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();

        // When
        runtime.removeOutsideBerth("t1", "web");
        engine.resync();

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(container(last(), "web").reason()).isEqualTo("Container removed outside of Berth");
        assertThat(last().stopCode()).isEqualTo("EssentialContainerExited");
    }

    @Test
    void aRunningContainerThatNoTaskWantsIsStopped() {
        // Given: a task of this instance that Kafka no longer holds
        TaskEngine before = engine();
        before.desired(desired("gone", 1, TaskStatus.RUNNING));
        before.caughtUp();

        // When
        TaskEngine after = engine();
        after.desired(desired("t2", 1, TaskStatus.STOPPED));
        after.caughtUp();

        // Then
        assertThat(runtime.container("gone", "web").status()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(runtime.containerCount()).isEqualTo(2);
    }

    @Test
    void aContainerOfTheTaskUnderAnotherContainersNameIsNeverTakenForThatContainer() {
        // Given: under the engine name of the task's sidecar, a container of the same task labelled as its web
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        dev.berth.model.ContainerDefinition web = task.taskDefinition().containers().stream()
                .filter(c -> c.name().equals("web")).findFirst().orElseThrow();
        runtime.add(new dev.berth.agent.runtime.RuntimeContainer("planted", ContainerSpecs.containerName(task,
                "sidecar"), IMAGE, ContainerSpecs.labels(task, web), ContainerStatus.RUNNING, null, null, List.of(),
                Instant.parse("2025-01-01T00:00:00Z"), null));

        // When: an agent that may find containers it did not create takes the task up
        TaskEngine engine = engine();
        engine.desired(task);
        engine.caughtUp();

        // Then: the web-labelled container is not reported as the sidecar
        assertThat(reported).isNotEmpty().allSatisfy(change -> assertThat(container(change, "sidecar").runtimeId())
                .isNotEqualTo("planted"));
    }

    @Test
    void theContainerNameIsDeterministicSoItIsFoundAgain() {
        // Given
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);

        // When
        TaskEngine engine = engine();
        engine.desired(task);
        engine.caughtUp();

        // Then
        assertThat(runtime.creates).extracting(spec -> spec.name())
                .containsExactly(ContainerSpecs.containerName(task, "web"),
                        ContainerSpecs.containerName(task, "sidecar"))
                .first().isEqualTo("berth-web-3-web-t1");
    }

    private static TaskDefinition withImage(TaskDefinition d, String image) {
        List<dev.berth.model.ContainerDefinition> containers = new ArrayList<>();
        for (dev.berth.model.ContainerDefinition c : d.containers()) {
            containers.add(new dev.berth.model.ContainerDefinition(c.name(), c.name().equals("web") ? image : c.image(),
                    c.cpu(), c.memory(), c.memoryReservation(), c.essential(), c.command(), c.entryPoint(),
                    c.environment(), c.portMappings(), c.workingDirectory(), c.user(), c.hostname(), c.dockerLabels(),
                    c.stopTimeout()));
        }
        return new TaskDefinition(d.taskDefinitionArn(), d.family(), d.revision(), containers, d.cpu(), d.memory(),
                d.networkMode(), d.status(), d.requiresCompatibilities(), d.compatibilities(),
                d.placementConstraints(), d.taskRoleArn(), d.executionRoleArn(), d.registeredAt(),
                d.deregisteredAt());
    }
}
