package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.StopCode;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The engine admits tasks against the host's ledger: the web fixture holds 256 CPU units and
 * 96 MiB (memoryReservation 64 + 32), so a host of 100 MiB runs one at a time.
 */
class TaskAdmissionTest {

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final HostLedger ledger = new HostLedger(1024, 100, Set.of(22), Set.of());
    private final TaskEngine engine = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock,
            Duration.ofSeconds(30), Duration.ofHours(3), SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE, ledger);

    /** A new agent on the same runtime and host, which read back {@code lastReport} of what the old one did. */
    private TaskEngine restartedWith(TaskStateChange lastReport) {
        reported.clear();
        TaskEngine restarted = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock,
                Duration.ofSeconds(30), Duration.ofHours(3), SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE,
                new HostLedger(1024, 100, Set.of(22), Set.of()));
        restarted.seed(List.of(lastReport));
        return restarted;
    }

    private List<TaskStatus> statuses(String taskId) {
        return reported.stream().filter(c -> c.taskId().equals(taskId)).map(TaskStateChange::lastStatus).toList();
    }

    @Test
    void aTaskThatDoesNotFitWaitsInPendingUntilTheStoppingTaskHasReallyStopped() {
        // Given: t1 runs and holds the memory
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.desired(desired("t2", 1, TaskStatus.RUNNING));
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);
        assertThat(runtime.creates).hasSize(2);

        // When: t1 is stopped, but its container does not stop yet
        runtime.stopsTimeOut = true;
        engine.desired(desired("t1", 2, TaskStatus.STOPPED));

        // Then: STOPPING holds the resources, so t2 still waits and nothing of it was created
        assertThat(statuses("t1")).endsWith(TaskStatus.STOPPING);
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);
        assertThat(runtime.creates).hasSize(2);
        assertThat(engine.remaining().memory()).isEqualTo(4);

        // When: the container stops at the next resync
        runtime.stopsTimeOut = false;
        engine.resync();

        // Then: t1 is STOPPED first, and t2 runs in the memory it released
        assertThat(statuses("t1")).endsWith(TaskStatus.STOPPED);
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        int t1Stopped = indexOf("t1", TaskStatus.STOPPED);
        int t2Running = indexOf("t2", TaskStatus.RUNNING);
        assertThat(t1Stopped).isLessThan(t2Running);
        assertThat(engine.remaining().memory()).isEqualTo(4);
    }

    @Test
    void aTaskWhoseStopsDockerNeverAnswersHoldsItsResourcesUntilItsFifthStopFailsThenReleasesThem() {
        // Given: t1 runs and holds the memory, t2 waits, and Docker never answers a stop
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.desired(desired("t2", 1, TaskStatus.RUNNING));
        runtime.stopsTimeOut = true;

        // When: t1 is stopped, and resynced until its fourth stop failed
        engine.desired(desired("t1", 2, TaskStatus.STOPPED));
        for (int i = 0; i < StopSequence.MAX_STOP_ATTEMPTS - 2; i++) {
            engine.resync();
        }

        // Then: t1 is STOPPING and holds the memory; t2 waits
        assertThat(statuses("t1")).endsWith(TaskStatus.STOPPING);
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);
        assertThat(engine.remaining().memory()).isEqualTo(4);

        // When: its fifth stop fails too
        engine.resync();

        // Then: t1 is STOPPED, and t2 runs in the memory it released
        assertThat(statuses("t1")).endsWith(TaskStatus.STOPPED);
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        assertThat(engine.remaining().memory()).isEqualTo(4);
    }

    @Test
    void aTaskForgottenWhileItsContainersRunHoldsItsResourcesUntilTheyStopAndReportsNothingMore() {
        // Given: t1 runs and holds the memory; its container will not stop at once
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        int before = reported.size();
        runtime.stopsTimeOut = true;

        // When: the scheduler gave up on t1 while this agent was away: its record, then its tombstone
        engine.desired(desired("t1", 2, TaskStatus.STOPPED));
        engine.forget("t1");
        engine.desired(desired("t2", 1, TaskStatus.RUNNING));

        // Then: t1 still holds what its running container takes, so t2 waits
        assertThat(engine.remaining().memory()).isEqualTo(4);
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);

        // When: the container stops at the next resync
        runtime.stopsTimeOut = false;
        engine.resync();

        // Then: t1 released what it held, t2 runs, and nothing of t1 was reported after its tombstone
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        assertThat(reported.subList(before, reported.size())).extracting(TaskStateChange::taskId)
                .filteredOn("t1"::equals).hasSizeLessThanOrEqualTo(1);
        assertThat(reported.subList(indexOf("t2", TaskStatus.PENDING), reported.size()))
                .extracting(TaskStateChange::taskId).doesNotContain("t1");
    }

    @Test
    void aTaskForgottenDuringARestartWhileItsContainerRunsHoldsItsResourcesUntilItHasReallyStopped() {
        // Given: an earlier agent ran t1, whose containers run on and will not stop at once; the
        // scheduler forgot t1 while the agent was away (its report on berth.task-events is gone too)
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        TaskEngine restarted = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock,
                Duration.ofSeconds(30), Duration.ofHours(3), SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE,
                new HostLedger(1024, 100, Set.of(22), Set.of()));
        reported.clear();
        runtime.stopsTimeOut = true;

        // When: the restarted agent reads t1's last record, its tombstone, then a new task t2
        restarted.desired(desired("t1", 2, TaskStatus.STOPPED));
        restarted.forget("t1");
        restarted.desired(desired("t2", 1, TaskStatus.RUNNING));
        restarted.caughtUp();

        // Then: t1's running containers keep what they hold, so t2 waits and nothing of it is created
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);
        assertThat(runtime.creates).hasSize(2);
        assertThat(restarted.remaining().memory()).isEqualTo(4);

        // When: t1's containers stop at the next resync
        runtime.stopsTimeOut = false;
        restarted.resync();

        // Then: t2 runs in the memory t1 released, and nothing of t1 was reported
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        assertThat(statuses("t1")).isEmpty();
        assertThat(restarted.remaining().memory()).isEqualTo(4);
    }

    @Test
    void aTaskKilledAfterItsCreateButBeforeItsNextReportHoldsItsResourcesAfterARestart() {
        // Given: an earlier agent created t2's containers, and was killed before it reported them:
        // its last report is PENDING without containers
        engine.desired(desired("t2", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        TaskStateChange pendingOnly = reported.stream().filter(c -> c.taskId().equals("t2")
                && c.lastStatus() == TaskStatus.PENDING).findFirst().orElseThrow();
        assertThat(pendingOnly.containers()).extracting(ContainerState::runtimeId).containsOnlyNulls();
        TaskEngine restarted = restartedWith(pendingOnly);

        // When: the restarted agent reads a new task t1, which it would sync first, and t2
        restarted.desired(desired("t1", 1, TaskStatus.RUNNING));
        restarted.desired(desired("t2", 1, TaskStatus.RUNNING));
        restarted.caughtUp();

        // Then: t2 kept what its containers take, and t1 waits
        assertThat(statuses("t1")).containsExactly(TaskStatus.PENDING);
        assertThat(restarted.remaining().memory()).isEqualTo(4);
        assertThat(runtime.creates).hasSize(2);
    }

    @Test
    void aWakeDuringTheRestartsHoldsAdmitsNothingBeforeTheHoldsAreDone() {
        // Given: an earlier agent created t2's containers and was killed before it reported them
        engine.desired(desired("t2", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        TaskStateChange pendingOnly = reported.stream().filter(c -> c.taskId().equals("t2")
                && c.lastStatus() == TaskStatus.PENDING).findFirst().orElseThrow();
        TaskEngine restarted = restartedWith(pendingOnly);
        restarted.desired(desired("t1", 1, TaskStatus.RUNNING));
        restarted.desired(desired("t2", 1, TaskStatus.RUNNING));
        // a resync tick or an event wakes t1 while the restart looks up t2's containers
        AtomicBoolean woken = new AtomicBoolean();
        runtime.onCall = call -> {
            if (call.startsWith("inspect") && woken.compareAndSet(false, true)) {
                restarted.wake("t1");
            }
        };

        // When
        restarted.caughtUp();

        // Then: t1 still waits for the room that t2's containers take
        runtime.onCall = null;
        assertThat(woken).isTrue();
        assertThat(statuses("t1")).containsExactly(TaskStatus.PENDING);
        assertThat(runtime.creates).hasSize(2);
    }

    @Test
    void aTaskLargerThanTheHostStopsWithTheResourceNamed() {
        // Given
        engine.caughtUp();

        // When: the web fixture asks for 96 MiB on a host of 50 MiB
        TaskEngine small = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock,
                Duration.ofSeconds(30), Duration.ofHours(3), SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE,
                new HostLedger(1024, 50, Set.of(), Set.of()));
        small.desired(desired("big", 1, TaskStatus.RUNNING));
        small.caughtUp();

        // Then
        TaskStateChange last = reported.get(reported.size() - 1);
        assertThat(last.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last.stopCode()).isEqualTo(StopCode.TaskFailedToStart.name());
        assertThat(last.stoppedReason()).startsWith("RESOURCE:MEMORY");
        assertThat(runtime.creates).isEmpty();
    }

    @Test
    void aTaskThatRanBeforeARestartHoldsItsResourcesBeforeAnyNewTaskIsAdmitted() {
        // Given: an earlier agent ran t1 (its container runs on)
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        TaskStateChange lastReport = reported.get(reported.size() - 1);
        TaskEngine restarted = restartedWith(lastReport);

        // When: the restarted agent reads a new task before the old one in its partition
        restarted.desired(desired("t2", 1, TaskStatus.RUNNING));
        restarted.desired(desired("t1", 1, TaskStatus.RUNNING));
        restarted.caughtUp();

        // Then: t1 is adopted, t2 waits
        assertThat(statuses("t2")).containsExactly(TaskStatus.PENDING);
        assertThat(runtime.creates).hasSize(2);
        assertThat(restarted.remaining().memory()).isEqualTo(4);
        assertThat(lastReport.containers()).extracting(ContainerState::runtimeId).doesNotContainNull();
    }

    private int indexOf(String taskId, TaskStatus status) {
        for (int i = 0; i < reported.size(); i++) {
            if (reported.get(i).taskId().equals(taskId) && reported.get(i).lastStatus() == status) {
                return i;
            }
        }
        return -1;
    }
}
