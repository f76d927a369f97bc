package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Privileged containers and host paths run only where the host's configuration allows them. */
class HostPolicyTest {

    private static ContainerSpec spec(TaskDefinition definition) throws Exception {
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING, definition);
        return ContainerSpecs.build(task, definition.containers().get(0));
    }

    private static TaskDefinition withHostVolume(String sourcePath) throws Exception {
        return dev.berth.protocol.RecordCodec.newMapper().readValue("{\"family\":\"f\",\"revision\":1,"
                + "\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":32,"
                + "\"mountPoints\":[{\"sourceVolume\":\"data\",\"containerPath\":\"/data\",\"readOnly\":true}]}],"
                + "\"volumes\":[{\"name\":\"data\",\"host\":{\"sourcePath\":\"" + sourcePath + "\"}}]}",
                TaskDefinition.class);
    }

    @Test
    void privilegedIsRefusedUnlessTheHostAllowsIt() throws Exception {
        // Given
        ContainerSpec privileged = spec(Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(),
                Fixtures.sleeperTaskDefinition().containers().get(0).name(), "privileged", true));

        // Then
        assertThat(HostPolicy.STRICT.refusal(privileged)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("privileged", "ECS_DISABLE_PRIVILEGED"));
        assertThat(new HostPolicy(false, List.of()).refusal(privileged)).isEmpty();
    }

    @Test
    void aHostPathMountsOnlyUnderAnAllowedDirectory() throws Exception {
        // Given
        HostPolicy policy = new HostPolicy(true, List.of(Path.of("/srv/berth")));

        // Then
        assertThat(policy.refusal(spec(withHostVolume("/srv/berth/web/data")))).isEmpty();
        assertThat(policy.refusal(spec(withHostVolume("/srv/berth/../../etc")))).hasValueSatisfying(
                reason -> assertThat(reason).contains("/srv/berth/../../etc", "BERTH_AGENT_HOST_PATHS_ALLOWED"));
        assertThat(policy.refusal(spec(withHostVolume("/etc")))).isPresent();
        assertThat(HostPolicy.STRICT.refusal(spec(withHostVolume("/srv/berth/web")))).isPresent();
    }

    @Test
    void mountPointsBecomeMountsOfTheTaskVolumesAndAnUnknownVolumeFailsTheCreate() throws Exception {
        // Given
        TaskDefinition definition = withHostVolume("/srv/data");
        TaskDefinition unknown = Fixtures.withContainerField(definition, "web", "mountPoints",
                List.of(Map.of("sourceVolume", "nope", "containerPath", "/x")));

        // When
        ContainerSpec spec = spec(definition);

        // Then
        assertThat(spec.host().mounts()).containsExactly(
                new VolumeMount(VolumeMount.Kind.HOST_PATH, "/srv/data", "/data", true));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(unknown))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                        .isEqualTo("CannotCreateContainerError: Invalid 'mountPoints' setting for container 'web': "
                                + "the task has no volume named 'nope'"));
    }
}
