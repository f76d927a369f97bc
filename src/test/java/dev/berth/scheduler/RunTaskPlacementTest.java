package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RunTask's placementConstraints and placementStrategy, over a writer that acknowledges at once (no Kafka). */
class RunTaskPlacementTest {

    private static final PlacementConstraint DISTINCT = new PlacementConstraint("distinctInstance", null);

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state),
            new Arns("aws", "us-east-1", "000000000000"));

    @BeforeEach
    void threeInstances() {
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web",
                "busybox", 128, 256, null, null, null, null, null, null, null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));
        for (String id : List.of("i-1", "i-2", "i-3")) {
            state.apply(instance(id, "default", 4096, 4096, T0, 1));
        }
    }

    private Tasks.StartOutcome run(int count, List<PlacementConstraint> constraints,
            List<PlacementStrategy> strategies) {
        return plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "tester", null,
                new PlacementOptions(constraints, strategies)), count);
    }

    @Test
    void distinctInstanceCountsTheTasksOfEarlierCalls() {
        // Given: two tasks of family:web already placed apart
        run(2, List.of(DISTINCT), null);

        // When
        Tasks.StartOutcome outcome = run(2, List.of(DISTINCT), null);

        // Then: one instance is left for the group, and the other two say why they refused
        assertThat(state.tasks("default")).extracting(TaskView::instanceId)
                .containsExactlyInAnyOrder("i-1", "i-2", "i-3");
        assertThat(outcome.tasks()).hasSize(1);
        assertThat(outcome.failures()).extracting(Failure::reason)
                .containsExactly("DistinctInstance placement constraint unsatisfied.",
                        "DistinctInstance placement constraint unsatisfied.",
                        "DistinctInstance placement constraint unsatisfied.");
    }

    @Test
    void memberOfSelectsByHostNameAsEc2InstanceId() {
        // When
        Tasks.StartOutcome outcome = run(2,
                List.of(new PlacementConstraint("memberOf", "ec2InstanceId == i-2.local and attribute:ecs.os-type "
                        + "== linux")), null);

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactly("i-2", "i-2");
    }

    @Test
    void memberOfWithNotEqualsLeavesOutTheInstancesWithoutTheAttribute() {
        // Given: stack prod on i-1, stack dev on i-2, and no stack on i-3
        plane.attributes().put(null, List.of(new Attributes.Attribute("stack", "prod", null, "i-1"),
                new Attributes.Attribute("stack", "dev", null, "i-2")));

        // When: spread would take i-3 in turn if the constraint let it
        Tasks.StartOutcome outcome = run(2, List.of(new PlacementConstraint("memberOf", "attribute:stack != prod")),
                List.of(new PlacementStrategy("spread", "host")));

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactly("i-2", "i-2");
        assertThat(outcome.failures()).isEmpty();
    }

    @Test
    void spreadOverInstancesTakesEveryInstanceInTurn() {
        // When
        Tasks.StartOutcome outcome = run(3, null, List.of(new PlacementStrategy("spread", "host")));

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactlyInAnyOrder("i-1", "i-2", "i-3");
    }

    @Test
    void aBadExpressionIsAnInvalidParameterNamingWhereAndNothingIsStarted() {
        assertThatThrownBy(() -> run(1, List.of(new PlacementConstraint("memberOf", "task:group >> web")), null))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("Invalid expression 'task:group >> web': task:group does not take the operator '>' "
                        + "at character 12.");
        assertThat(state.tasks("default")).isEmpty();
    }

    @Test
    void moreStrategiesThanEcsTakesAreRefused() {
        assertThatThrownBy(() -> run(1, null, Collections.nCopies(6, new PlacementStrategy("random", null))))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("Invalid 'placementStrategy': at most 5 strategies apply to a task; there are 6.");
    }
}
