package dev.berth.scheduler.reconcile;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.TestRecords;
import dev.berth.scheduler.state.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskReconcilerTest {

    private final TaskReconciler reconciler = new TaskReconciler(Duration.ofHours(1));
    private final DesiredTask running = TestRecords.desired("t1", "i1", TestRecords.definition("web", 1, 64, null), 1);

    @Test
    void aTaskThatStoppedOnItsOwnBecomesDesiredStoppedWithTheAgentsReason() {
        // Given
        TaskStateChange stopped = stoppedReport("EssentialContainerExited", "Essential container in task exited");

        // When
        List<TaskAction> actions = reconciler.plan(List.of(TaskView.fold(running, stopped)), T0.plusSeconds(60));

        // Then
        assertThat(actions).containsExactly(new TaskAction.MarkStopped(running, "EssentialContainerExited",
                "Essential container in task exited"));
    }

    @Test
    void retentionCountsFromWhenTheSchedulerSawTheTaskStoppedNotFromTheAgentsClock() {
        // Given: stopped by the user; the agent's stoppedAt (T0+10s) is two hours before the scheduler saw it
        DesiredTask stopped = running.stop(2, "UserInitiated", "done");
        TaskView view = TaskView.fold(stopped, TestRecords.report("t1", "i1", TaskStatus.STOPPED, 3));
        Instant seen = T0.plus(Duration.ofHours(2));

        // When
        List<TaskAction> early = reconciler.plan(List.of(view), Map.of(), seen.plus(Duration.ofMinutes(59)),
                id -> seen);
        List<TaskAction> late = reconciler.plan(List.of(view), Map.of(), seen.plus(Duration.ofMinutes(61)),
                id -> seen);

        // Then
        assertThat(early).isEmpty();
        assertThat(late).containsExactly(new TaskAction.Forget(stopped));
    }

    @Test
    void runningAndRecentlyStoppedTasksAreLeftAlone() {
        // Given
        TaskStateChange runningReport = TestRecords.report("t1", "i1", TaskStatus.RUNNING, 2);
        DesiredTask stoppedByUser = running.stop(2, "UserInitiated", "bye");

        // When
        List<TaskAction> actions = reconciler.plan(List.of(TaskView.fold(running, runningReport),
                TaskView.fold(stoppedByUser, stoppedReport("UserInitiated", "bye"))), T0.plusSeconds(60));

        // Then
        assertThat(actions).isEmpty();
    }

    @Test
    void aStoppedTaskPastTheRetentionIsForgotten() {
        // Given
        DesiredTask stoppedByUser = running.stop(2, "UserInitiated", "bye");
        TaskView view = TaskView.fold(stoppedByUser, stoppedReport("UserInitiated", "bye"));

        // When
        List<TaskAction> actions = reconciler.plan(List.of(view), T0.plus(Duration.ofMinutes(61)));

        // Then
        assertThat(actions).containsExactly(new TaskAction.Forget(stoppedByUser));
    }

    @Test
    void aTaskStoppedBeforeItsAgentEverReportedIsForgottenAfterTheRetentionToo() {
        // Given: the agent never reported the task
        DesiredTask stoppedByUser = running.stop(2, "UserInitiated", "bye");

        // When
        List<TaskAction> early = reconciler.plan(List.of(TaskView.fold(stoppedByUser, null)), T0.plusSeconds(60));
        List<TaskAction> late = reconciler.plan(List.of(TaskView.fold(stoppedByUser, null)),
                stoppedByUser.createdAt().plus(Duration.ofMinutes(61)));

        // Then
        assertThat(early).isEmpty();
        assertThat(late).containsExactly(new TaskAction.Forget(stoppedByUser));
    }

    private static TaskStateChange stoppedReport(String code, String reason) {
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, 3, "t1", "default", "i1", TaskStatus.STOPPED, List.of(),
                code, reason, null, null, T0, T0, T0, T0);
    }
}
