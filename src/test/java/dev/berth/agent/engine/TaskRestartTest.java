package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted agent is seeded with what it last reported: nothing it reported is rewritten,
 * a container that is gone is never run again, and versions keep rising even when the clock
 * stepped backwards.
 */
class TaskRestartTest {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage(IMAGE);
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final SettableClock clock = new SettableClock(START);

    private TaskEngine engine() {
        return new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock, Duration.ofSeconds(30));
    }

    private TaskStateChange last() {
        return reported.get(reported.size() - 1);
    }

    private static ContainerState container(TaskStateChange change, String name) {
        return change.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The task runs under a first agent process; returns its last report. */
    private TaskStateChange runUnderFirstAgent(DesiredTask task) {
        TaskEngine before = engine();
        before.desired(task);
        before.caughtUp();
        TaskStateChange lastReport = last();
        assertThat(lastReport.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        reported.clear();
        return lastReport;
    }

    private TaskEngine restartWith(TaskStateChange lastReport, DesiredTask task) {
        TaskEngine after = engine();
        after.seed(List.of(lastReport));
        after.desired(task);
        after.caughtUp();
        return after;
    }

    @Test
    void anAdoptedTaskKeepsItsStartTimeAndIsNotReportedAgainWhenNothingChanged() {
        // Given
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskStateChange lastReport = runUnderFirstAgent(task);

        // When: an hour later, a new agent process seeded with that report
        clock.advance(Duration.ofHours(1));
        restartWith(lastReport, task);

        // Then
        assertThat(reported).isEmpty();
        assertThat(runtime.creates).hasSize(2);
    }

    @Test
    void aContainerRemovedWhileTheAgentWasDownStopsTheTaskWithANamedReasonAndIsNeverRunAgain() {
        // Given
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskStateChange lastReport = runUnderFirstAgent(task);
        runtime.removeOutsideBerth("t1", "web");
        int createsBefore = runtime.creates.size();

        // When
        clock.advance(Duration.ofMinutes(5));
        restartWith(lastReport, task);

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(container(last(), "web").reason()).isEqualTo("Container removed while the agent was down");
        assertThat(last().stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(last().startedAt()).isEqualTo(lastReport.startedAt());
        assertThat(runtime.creates).hasSize(createsBefore);
    }

    @Test
    void anExitWhileTheAgentWasDownIsReportedWithDockersFinishTimeAndTheReportedStartIsKept() {
        // Given: the essential container exited 10 minutes after it started, while no agent watched
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskStateChange lastReport = runUnderFirstAgent(task);
        Instant exitedAt = START.plus(Duration.ofMinutes(10));
        runtime.exitAt("t1", "web", 3, exitedAt);
        int startsBefore = runtime.starts.size();

        // When: the agent comes back an hour later
        clock.advance(Duration.ofHours(1));
        restartWith(lastReport, task);

        // Then
        TaskStateChange stopped = last();
        assertThat(stopped.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(container(stopped, "web").exitCode()).isEqualTo(3);
        assertThat(stopped.startedAt()).isEqualTo(lastReport.startedAt());
        assertThat(stopped.stoppedAt()).isBefore(clock.instant());
        assertThat(runtime.starts).hasSize(startsBefore);
    }

    @Test
    void versionsKeepRisingAfterARestartWhoseClockSteppedBackwards() {
        // Given: the last report was made with a clock an hour ahead of the one now
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        clock.set(START.plus(Duration.ofHours(1)));
        TaskStateChange lastReport = runUnderFirstAgent(task);

        // When: the clock steps back an hour, the agent restarts and the task is stopped
        clock.set(START);
        TaskEngine after = restartWith(lastReport, task);
        after.desired(task.stop(2, "UserInitiated", "done"));

        // Then
        assertThat(reported).extracting(TaskStateChange::version)
                .allSatisfy(version -> assertThat(version).isGreaterThan(lastReport.version()))
                .isSorted();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().startedAt()).isEqualTo(lastReport.startedAt());
    }

    @Test
    void aStoppedTaskWhoseContainersWereCleanedUpKeepsItsExitCodesAfterARestart() {
        // Given: a task stopped and reported STOPPED with exit code 143, its containers then removed
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        runUnderFirstAgent(task);
        TaskEngine before = engine();
        before.desired(task);
        before.caughtUp();
        DesiredTask stop = task.stop(2, "UserInitiated", "done");
        before.desired(stop);
        TaskStateChange stoppedReport = last();
        runtime.removeOutsideBerth("t1", "web");
        runtime.removeOutsideBerth("t1", "sidecar");
        reported.clear();

        // When
        restartWith(stoppedReport, stop);

        // Then: nothing is rewritten ("never started" would erase the exit codes)
        assertThat(reported).isEmpty();
        assertThat(stoppedReport.containers()).extracting(ContainerState::exitCode).containsOnly(143);
    }

    @Test
    void aChangeTheBufferRefusedIsOfferedAgainAtTheNextSync() {
        // Given: a reporter whose buffer is full for the first offer
        List<TaskStateChange> taken = new ArrayList<>();
        boolean[] full = {true};
        TaskEngine engine = new TaskEngine(INSTANCE, runtime, change -> !full[0] && taken.add(change), Runnable::run,
                clock, Duration.ofSeconds(30));
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        assertThat(taken).isEmpty();

        // When
        full[0] = false;
        engine.resync();

        // Then
        assertThat(taken).extracting(TaskStateChange::lastStatus).containsExactly(TaskStatus.RUNNING);
        assertThat(taken.get(0).containers()).extracting(ContainerState::lastStatus)
                .containsOnly(ContainerStatus.RUNNING);
    }
}
