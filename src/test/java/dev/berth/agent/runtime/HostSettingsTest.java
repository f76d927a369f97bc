package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.Fixtures;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** References to other containers and to task volumes become the engine's names. */
class HostSettingsTest {

    private final TaskDefinition settings = Fixtures.taskDefinition("settings-task-definition.json");
    private final DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING, settings);

    private ContainerSpec spec(DesiredTask desired, String name) throws Exception {
        ContainerDefinition definition = desired.taskDefinition().containers().stream()
                .filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        return ContainerSpecs.build(desired, definition);
    }

    @Test
    void linksAndVolumesFromNameTheTasksOwnContainersInTheEngine() throws Exception {
        // When
        HostSettings app = spec(task, "app").host();

        // Then
        String source = ContainerSpecs.containerName(task, "source");
        assertThat(app.links()).containsExactly(source + ":src");
        assertThat(app.volumesFrom()).containsExactly(source + ":ro");
        assertThat(app.ipcMode()).isEqualTo("none");
        assertThat(app.settings().isPrivileged()).isFalse();
    }

    @Test
    void aTaskVolumeIsNamedAfterTheTaskSoEachTaskHasItsOwn() throws Exception {
        // When
        HostSettings source = spec(task, "source").host();
        HostSettings other = spec(Fixtures.desired("t2", 1, TaskStatus.RUNNING, settings), "source").host();

        // Then
        assertThat(source.mounts()).containsExactly(
                new VolumeMount(VolumeMount.Kind.TASK_VOLUME, "berth-t1-cache", "/cache", false));
        assertThat(other.mounts().get(0).source()).isEqualTo("berth-t2-cache");
    }

    @Test
    void aSharedVolumeMustExistUnlessItAutoprovisions() throws Exception {
        // Given
        TaskDefinition shared = Fixtures.withTaskField(settings, "volumes", List.of(Map.of("name", "cache",
                "dockerVolumeConfiguration", Map.of("scope", "shared"))));
        TaskDefinition provisioned = Fixtures.withTaskField(settings, "volumes", List.of(Map.of("name", "cache",
                "dockerVolumeConfiguration", Map.of("scope", "shared", "autoprovision", true))));

        // Then
        assertThat(spec(Fixtures.desired("t1", 1, TaskStatus.RUNNING, shared), "source").host().mounts())
                .containsExactly(new VolumeMount(VolumeMount.Kind.EXISTING_VOLUME, "cache", "/cache", false));
        assertThat(spec(Fixtures.desired("t1", 1, TaskStatus.RUNNING, provisioned), "source").host().mounts())
                .containsExactly(new VolumeMount(VolumeMount.Kind.SHARED_VOLUME, "cache", "/cache", false));
    }

    @Test
    void aSharedVolumeCannotTakeTheNameOfAnotherTasksVolume() {
        // Given: task t1 names, as a shared volume, the Docker volume of task t2's own volume
        String victims = HostSettings.taskVolumeName(Fixtures.desired("t2", 1, TaskStatus.RUNNING, settings), "cache");
        for (boolean autoprovision : List.of(true, false)) {
            TaskDefinition stealing = Fixtures.withContainerField(Fixtures.withTaskField(settings, "volumes",
                    List.of(Map.of("name", victims, "dockerVolumeConfiguration",
                            Map.of("scope", "shared", "autoprovision", autoprovision)))),
                    "source", "mountPoints", List.of(Map.of("sourceVolume", victims, "containerPath", "/cache")));

            // Then
            assertThatThrownBy(() -> spec(Fixtures.desired("t1", 1, TaskStatus.RUNNING, stealing), "source"))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                            .isEqualTo("CannotCreateContainerError: Invalid 'volumes' setting for task: the shared "
                                    + "volume '" + victims + "' starts with 'berth-', which Berth keeps for the Docker "
                                    + "volumes of tasks' own volumes"));
        }
    }

    @Test
    void aVolumeOfAnUnknownScopeOrATaskScopedOneToAutoprovisionFailsTheCreateRatherThanBecomeATaskVolume() {
        // Given: records that reached the host without the registration's checks
        Map<Map<String, Object>, String> refused = Map.of(
                Map.of("scope", "Shared", "autoprovision", true), "Invalid 'volumes[0].dockerVolumeConfiguration"
                        + ".scope' setting for volume 'cache': Shared is not task or shared; the task is not run, "
                        + "as a volume that is not shared is removed when its task stops",
                Map.of("scope", "task", "autoprovision", true), "Invalid 'volumes[0].dockerVolumeConfiguration"
                        + ".autoprovision' setting for volume 'cache': a task-scoped volume is not autoprovisioned");
        refused.forEach((configuration, reason) -> {
            TaskDefinition definition = Fixtures.withTaskField(settings, "volumes", List.of(Map.of("name", "cache",
                    "dockerVolumeConfiguration", configuration)));

            // Then
            assertThatThrownBy(() -> spec(Fixtures.desired("t1", 1, TaskStatus.RUNNING, definition), "source"))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                            .isEqualTo("CannotCreateContainerError: " + reason));
        });
    }

    @Test
    void aLinkToAContainerTheTaskLacksFailsTheCreateNamingIt() {
        // Given
        DesiredTask broken = Fixtures.desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withContainerField(settings, "app", "links", List.of("ghost")));

        // Then
        assertThatThrownBy(() -> spec(broken, "app"))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                        .isEqualTo("CannotCreateContainerError: Invalid 'links' setting for container 'app': the task "
                                + "has no container named 'ghost'"));
    }
}
