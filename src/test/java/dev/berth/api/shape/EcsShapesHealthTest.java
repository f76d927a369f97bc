package dev.berth.api.shape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.state.TaskView;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DescribeTasks shows each container's health as the agent reported it, and the task's by ECS's rule. */
class EcsShapesHealthTest {

    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");
    private final EcsShapes shapes = new EcsShapes(new Arns("aws", "us-east-1", "000000000000"));

    private static TaskView view(HealthStatus db) throws Exception {
        TaskDefinition definition;
        try (InputStream in = EcsShapesHealthTest.class.getResourceAsStream("/agent/health-task-definition.json")) {
            definition = RecordCodec.newMapper().readValue(in, TaskDefinition.class);
        }
        DesiredTask desired = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, "t1", null, "default", "i1", definition,
                null, TaskStatus.RUNNING, null, null, AT, null, null);
        TaskStateChange observed = new TaskStateChange(BerthRecord.SCHEMA_VERSION, 2, "t1", "default", "i1",
                TaskStatus.RUNNING, List.of(
                        new ContainerState("db", "d1", "busybox", ContainerStatus.RUNNING, null, null, List.of(), db,
                                null),
                        new ContainerState("app", "a1", "busybox", ContainerStatus.RUNNING, null, null, List.of())),
                null, null, null, null, AT, null, null, AT);
        return TaskView.fold(desired, observed);
    }

    @Test
    void theTaskIsHealthyWhenItsCheckedEssentialContainerIsAndUnknownForContainersWithoutACheck() throws Exception {
        // When
        EcsTask task = shapes.task(view(HealthStatus.HEALTHY));

        // Then
        assertThat(task.healthStatus()).isEqualTo("HEALTHY");
        assertThat(task.containers()).extracting(EcsContainer::name, EcsContainer::healthStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("db", "HEALTHY"),
                        org.assertj.core.groups.Tuple.tuple("app", "UNKNOWN"));
    }

    @Test
    void theTaskIsUnhealthyWhenAnEssentialContainerIs() throws Exception {
        // When
        EcsTask task = shapes.task(view(HealthStatus.UNHEALTHY));

        // Then
        assertThat(task.healthStatus()).isEqualTo("UNHEALTHY");
    }
}
