package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.BerthLabels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container's removal takes only the volumes of its own task with it. */
class DockerVolumesTest {

    private static final Map<String, String> CONTAINER = Map.of(BerthLabels.TASK_ID, "t1",
            BerthLabels.INSTANCE_ID, "i1", BerthLabels.CONTAINER_NAME, "web");

    @Test
    void onlyAVolumeLabelledWithTheContainersOwnTaskAndInstanceIsRemovedWithIt() {
        // Then
        assertThat(DockerVolumes.isTaskVolumeOf(Map.of(BerthLabels.TASK_ID, "t1", BerthLabels.INSTANCE_ID, "i1"),
                CONTAINER)).isTrue();
        // another task's volume, which this task mounted by its name
        assertThat(DockerVolumes.isTaskVolumeOf(Map.of(BerthLabels.TASK_ID, "t2", BerthLabels.INSTANCE_ID, "i1"),
                CONTAINER)).isFalse();
        assertThat(DockerVolumes.isTaskVolumeOf(Map.of(BerthLabels.TASK_ID, "t1", BerthLabels.INSTANCE_ID, "i2"),
                CONTAINER)).isFalse();
        assertThat(DockerVolumes.isTaskVolumeOf(Map.of(), CONTAINER)).isFalse();
        assertThat(DockerVolumes.isTaskVolumeOf(null, CONTAINER)).isFalse();
        assertThat(DockerVolumes.isTaskVolumeOf(Map.of(BerthLabels.TASK_ID, "t1", BerthLabels.INSTANCE_ID, "i1"),
                null)).isFalse();
    }
}
