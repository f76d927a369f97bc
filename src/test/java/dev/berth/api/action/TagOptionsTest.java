package dev.berth.api.action;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunTask's and StartTask's tag parameters: propagation from the task definition and ECS's managed tag. */
class TagOptionsTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "000000000000");

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state), ARNS);

    TagOptionsTest() {
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web",
                "busybox", 128, 128, null, null, null, null, null, null, null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null), List.of(new Tag("team", "td")));
    }

    @Test
    void managedTagsNameTheClusterAfterTheOwnAndPropagatedOnes() {
        // When
        List<Tag> tags = new TagOptions(List.of(new Tag("env", "prod")), "TASK_DEFINITION", true)
                .forTask(plane, "arn:aws:ecs:us-east-1:000000000000:cluster/default", "web");

        // Then
        assertThat(tags).containsExactly(new Tag("team", "td"), new Tag("env", "prod"),
                new Tag("aws:ecs:clusterName", "default"));
        assertThat(new TagOptions(null, null, null).forTask(plane, null, "web")).isNull();
    }

    @Test
    void serviceIsRefusedForATaskThatIsNotAServicesAndCallersCannotUseTheReservedPrefix() {
        assertThatThrownBy(() -> new TagOptions(null, "SERVICE", null).forTask(plane, null, "web"))
                .hasMessageContaining("Invalid 'propagateTags': SERVICE applies only to a service's tasks");
        assertThatThrownBy(() -> new TagOptions(List.of(new Tag("aws:ecs:clusterName", "x")), null, true)
                .forTask(plane, null, "web")).hasMessageContaining("aws:");
    }
}
