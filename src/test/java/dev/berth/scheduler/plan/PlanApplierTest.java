package dev.berth.scheduler.plan;

import dev.berth.testing.SettableClock;
import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.scheduler.AppliedWriter;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.state.SchedulerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanApplierTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final PlanApplier applier = new PlanApplier(state, writer);

    @Test
    void refusesTasksThatNoLongerFitTheLatestState() {
        // Given: a plan made when i-1 had 1024 MiB; its agent then re-registered with 600 MiB
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        DesiredTask first = desired("t1", "i-1", definition("web", 1, 512, null), 1);
        DesiredTask second = desired("t2", "i-1", definition("web", 1, 512, null), 1);
        TaskPlan plan = new TaskPlan("default", List.of(first, second));
        state.apply(instance("i-1", "default", 4096, 600, T0, 2));

        // When
        PlanOutcome outcome = applier.apply(plan);

        // Then
        assertThat(outcome.published()).containsExactly(first);
        assertThat(outcome.refused()).extracting(Rejection::instanceId, Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("i-1", "RESOURCE:MEMORY"));
        assertThat(writer.written()).containsExactly(first);
    }

    @Test
    void aServicesPlanIsRefusedOnAnInstanceSetDrainingSinceItWasPlaced() {
        // Given: a service's pass placed a task on i-1, which is then set DRAINING
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, null), 1);
        state.apply(new dev.berth.protocol.InstanceControl(dev.berth.protocol.BerthRecord.SCHEMA_VERSION, 1, "i-1",
                "default", dev.berth.protocol.InstanceControl.DRAINING, T0));

        // When
        PlanOutcome service = applier.apply(new TaskPlan("default", List.of(task), true));
        PlanOutcome named = applier.apply(new TaskPlan("default", List.of(task)));

        // Then: no new service task on a draining instance; a StartTask names its instance itself
        assertThat(service.published()).isEmpty();
        assertThat(named.published()).containsExactly(task);
    }

    @Test
    void refusesEverythingOnAnInstanceWhoseAgentWentQuiet() {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        TaskPlan plan = new TaskPlan("default", List.of(desired("t1", "i-1", definition("web", 1, 64, null), 1)));
        clock.advance(Duration.ofMinutes(2));

        // When
        PlanOutcome outcome = applier.apply(plan);

        // Then
        assertThat(outcome.published()).isEmpty();
        assertThat(outcome.refused()).extracting(Rejection::reason).containsExactly("AGENT");
        assertThat(writer.written()).isEmpty();
    }

    @Test
    void countsAPlanOnceWhileItIsCommittedButNotYetReleased() {
        // Given: a writer that, like the leader's committer, applies a committed plan to the
        // state before the plan's caller wakes up and releases it
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        java.util.concurrent.CompletableFuture<Void> callerNotYetAwake = new java.util.concurrent.CompletableFuture<>();
        PlanApplier committing = new PlanApplier(state, changes -> {
            writer.commit(changes);
            return callerNotYetAwake;
        });
        DesiredTask first = desired("t1", "i-1", definition("web", 1, 512, null), 1);
        committing.submit(new TaskPlan("default", List.of(first)), outcome -> List.of(), null);

        // When: placement looks at the instance, and a second plan of 512 MiB is rechecked
        int remaining = committing.candidates("default").get(0).remaining().memory();
        PlanApplier.Submission second = committing.submit(new TaskPlan("default",
                List.of(desired("t2", "i-1", definition("web", 1, 512, null), 1))), outcome -> List.of(), null);

        // Then: the first plan takes its 512 MiB once, not twice, so the second still fits
        assertThat(remaining).isEqualTo(512);
        assertThat(second.outcome().refused()).isEmpty();
        assertThat(committing.candidates("default").get(0).remaining().memory()).isZero();
    }

    @Test
    void placementSeesTheTaskGroupsOfTheStateAndOfPlansInFlight() {
        // Given a task of group web held by the state on i-1, and one in flight on i-2
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        state.apply(instance("i-2", "default", 4096, 4096, T0, 1));
        state.apply(withGroup(desired("t1", "i-1", definition("web", 1, 64, null), 1)));
        PlanApplier inFlight = new PlanApplier(state, changes -> new java.util.concurrent.CompletableFuture<>());
        inFlight.submit(new TaskPlan("default", List.of(withGroup(desired("t2", "i-2", definition("web", 1, 64, null),
                1)))), outcome -> List.of(), null);

        // When
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        inFlight.candidates("default").forEach(c -> counts.put(c.instanceId(), c.tasksOf("family:web")));

        // Then: distinctInstance and spread count both
        assertThat(counts).containsEntry("i-1", 1).containsEntry("i-2", 1);
    }

    private static DesiredTask withGroup(DesiredTask t) {
        return new DesiredTask(t.schemaVersion(), t.version(), t.taskId(), t.taskArn(), t.cluster(), t.instanceId(),
                t.taskDefinition(), t.overrides(), t.desiredStatus(), t.startedBy(), "family:web", t.createdAt(), null,
                null);
    }
}
