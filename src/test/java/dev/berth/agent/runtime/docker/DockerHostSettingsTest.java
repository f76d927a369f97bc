package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import dev.berth.agent.Fixtures;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A container definition's settings on Docker's create command, without an engine. */
class DockerHostSettingsTest {

    private static CreateContainerCmd fill(TaskDefinition definition) throws Exception {
        ContainerSpec spec = ContainerSpecs.build(Fixtures.desired("t1", 1, TaskStatus.RUNNING, definition),
                definition.containers().get(0));
        return DockerContainers.fill(new CreateContainerCmdImpl(command -> {
            throw new AssertionError("no engine here");
        }, null, spec.image()), spec);
    }

    private static TaskDefinition with(String field, Object value) {
        TaskDefinition sleeper = Fixtures.sleeperTaskDefinition();
        return Fixtures.withContainerField(sleeper, sleeper.containers().get(0).name(), field, value);
    }

    @Test
    void theHealthCheckTakesEcsDefaultsInDockersNanoseconds() throws Exception {
        // When
        CreateContainerCmd cmd = fill(with("healthCheck", Map.of("command", List.of("CMD", "true"))));

        // Then
        assertThat(cmd.getHealthcheck().getTest()).containsExactly("CMD", "true");
        assertThat(cmd.getHealthcheck().getInterval()).isEqualTo(30_000_000_000L);
        assertThat(cmd.getHealthcheck().getTimeout()).isEqualTo(5_000_000_000L);
        assertThat(cmd.getHealthcheck().getRetries()).isEqualTo(3);
        assertThat(cmd.getHealthcheck().getStartPeriod()).isZero();
    }

    @Test
    void anUnknownCapabilityOrALogDriverDockerJavaCannotNameIsRefusedNotDropped() {
        // Then
        assertThatThrownBy(() -> fill(with("linuxParameters", Map.of("capabilities", Map.of("add",
                List.of("FLY"))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid 'linuxParameters.capabilities' setting: unknown capability FLY");
        assertThatThrownBy(() -> fill(with("logConfiguration", Map.of("logDriver", "logentries"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logentries");
    }

    @Test
    void aUlimitOrTmpfsMissingWhatEcsRequiresIsRefusedOnTheHostNotAppliedAsZeroOrDropped() {
        // Then: records registered before the registration's checks
        assertThatThrownBy(() -> fill(with("ulimits", List.of(Map.of("name", "nofile", "hardLimit", 4096)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid 'ulimits[0]' setting: nofile needs name, softLimit and hardLimit, as in ECS");
        assertThatThrownBy(() -> fill(with("linuxParameters", Map.of("tmpfs", List.of(Map.of("containerPath",
                "/t"))))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid 'linuxParameters.tmpfs[0]' setting: /t needs containerPath and size, as in ECS");
    }

    @Test
    void absentSettingsLeaveDockersDefaults() throws Exception {
        // When
        CreateContainerCmd cmd = fill(Fixtures.sleeperTaskDefinition());

        // Then
        assertThat(cmd.getHealthcheck()).isNull();
        assertThat(cmd.getHostConfig().getPrivileged()).isNull();
        assertThat(cmd.getHostConfig().getLogConfig().getType()).isNull();
        assertThat(cmd.getHostConfig().getMounts()).isNull();
    }
}
