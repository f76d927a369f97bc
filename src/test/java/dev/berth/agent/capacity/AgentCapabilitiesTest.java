package dev.berth.agent.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.EngineFacts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an agent advertises, from what its engine reports and what the host allows. */
class AgentCapabilitiesTest {

    @Test
    void advertisesEcsApiVersionsUpToTheEnginesAndItsLogDrivers() {
        // When
        Map<String, String> advertised = AgentCapabilities.of(new EngineFacts("1.13.1", "1.26",
                List.of("json-file", "logentries", "syslog")), false);

        // Then: the versions ECS advertises, 1.17 to the engine's 1.26 (which ECS never names)
        assertThat(advertised.keySet()).filteredOn(n -> n.contains("docker-remote-api")).containsExactly(
                "com.amazonaws.ecs.capability.docker-remote-api.1.17",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18",
                "com.amazonaws.ecs.capability.docker-remote-api.1.19",
                "com.amazonaws.ecs.capability.docker-remote-api.1.20",
                "com.amazonaws.ecs.capability.docker-remote-api.1.21",
                "com.amazonaws.ecs.capability.docker-remote-api.1.22",
                "com.amazonaws.ecs.capability.docker-remote-api.1.23",
                "com.amazonaws.ecs.capability.docker-remote-api.1.24",
                "com.amazonaws.ecs.capability.docker-remote-api.1.25");
        assertThat(advertised.keySet()).filteredOn(n -> n.contains("logging-driver")).containsExactly(
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "com.amazonaws.ecs.capability.logging-driver.none",
                "com.amazonaws.ecs.capability.logging-driver.syslog");
        assertThat(advertised).containsKeys("ecs.capability.container-health-check",
                "ecs.capability.container-ordering", "ecs.capability.container-restart-policy",
                "ecs.capability.pid-ipc-namespace-sharing", "ecs.capability.docker-plugin.local")
                .doesNotContainKeys("com.amazonaws.ecs.capability.privileged-container",
                        "ecs.capability.task-cpu-mem-limit", "com.amazonaws.ecs.capability.task-iam-role");
        assertThat(advertised.values()).containsOnly("");
    }

    @Test
    void aCurrentEngineGetsEveryVersionAndPrivilegedOnlyWhenAllowed() {
        // When
        Map<String, String> advertised = AgentCapabilities.of(new EngineFacts("28.2.2", "1.51", List.of()), true);

        // Then
        assertThat(advertised).containsKeys("com.amazonaws.ecs.capability.docker-remote-api.1.32",
                "com.amazonaws.ecs.capability.privileged-container")
                .doesNotContainKeys("com.amazonaws.ecs.capability.docker-remote-api.1.26",
                        "com.amazonaws.ecs.capability.docker-remote-api.1.31",
                        "com.amazonaws.ecs.capability.docker-remote-api.1.33");
        assertThat(AgentCapabilities.compare("1.9", "1.17")).isNegative();
    }
}
