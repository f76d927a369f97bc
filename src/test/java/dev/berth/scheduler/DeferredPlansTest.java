package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunTask carried out for a request of berth.requests: its plan waits for the request's answer. */
class DeferredPlansTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));
    private final ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1,
            "kafka-request/r-1", "RunTask", "hash", List.of(), List.of(), T0, null);

    private void registerAndAddRoomForOneTask() {
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web",
                "busybox", 256, 512, null, null, null, null, null, null, null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));
        state.apply(instance("i-1", "default", 4096, 768, T0, 1));
    }

    private Tasks.StartOutcome runWithin(RequestTransaction transaction) {
        return RequestScope.within(marker, transaction, () -> plane.tasks().run(
                new Tasks.TaskRequest(null, "web", null, "tester", null), 1));
    }

    @Test
    void theTasksAreAnsweredAtOnceAndWrittenOnlyWithTheAnswer() {
        // Given
        registerAndAddRoomForOneTask();
        RequestTransaction transaction = new RequestTransaction();
        DeferredPlans deferred = transaction.deferred();

        // When
        Tasks.StartOutcome outcome = runWithin(transaction);

        // Then: answered as PENDING on i-1, nothing written yet; the plan is what the answer will carry
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactly("i-1");
        assertThat(outcome.tasks().get(0).lastStatus()).isEqualTo(TaskStatus.PENDING);
        assertThat(writer.written()).noneMatch(DesiredTask.class::isInstance);
        assertThat(deferred.changes()).hasSize(1).first().isInstanceOfSatisfying(StateChange.Put.class,
                put -> assertThat(((DesiredTask) put.record()).taskId()).isEqualTo(outcome.tasks().get(0).taskId()));
    }

    @Test
    void aDeferredPlanHoldsItsRoomUntilItsAnswerIsOverAndGivesItBackWhenNotCommitted() {
        // Given: the one task's room taken by a request whose answer is not committed yet
        registerAndAddRoomForOneTask();
        RequestTransaction transaction = new RequestTransaction();
        DeferredPlans first = transaction.deferred();
        runWithin(transaction);

        // When: another RunTask meanwhile, then the first answer fails, then a third RunTask
        Tasks.StartOutcome meanwhile = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "tester", null), 1);
        first.finished(false);
        Tasks.StartOutcome after = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "tester", null), 1);

        // Then
        assertThat(meanwhile.tasks()).isEmpty();
        assertThat(meanwhile.failures()).extracting(Failure::reason).containsExactly("RESOURCE:MEMORY");
        assertThat(after.tasks()).extracting(TaskView::instanceId).containsExactly("i-1");
    }
}
