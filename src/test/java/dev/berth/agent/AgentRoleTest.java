package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.berth.protocol.KafkaSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role's lifecycle when neither Docker nor Kafka can be reached: no blocking, no crash. */
class AgentRoleTest {

    /** An agent on {@code dataDir} that can reach neither Docker nor Kafka. */
    private static AgentRole unreachable(Path dataDir) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of(
                        "berth.agent.docker-host", "unix://" + dataDir.resolve("no-docker.sock"),
                        "berth.kafka.bootstrap-servers", "127.0.0.1:1",
                        "berth.kafka.retry-backoff", "50ms",
                        "berth.agent.introspection-port", "0"), "test", 300))
                .withMapping(AgentConfig.class)
                .withMapping(KafkaSettings.class)
                .build();
        return new AgentRole(config.getConfigMapping(AgentConfig.class), config.getConfigMapping(KafkaSettings.class),
                dataDir.toString());
    }

    @Test
    void startReturnsAtOnceAndStopStillWorksWhileNothingCanBeReached(@TempDir Path dataDir) throws Exception {
        // Given
        AgentRole role = unreachable(dataDir);

        // When
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> role.start());

        // Then
        assertThat(role.instanceId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(Files.readString(dataDir.resolve("agent/instance-id")).trim()).isEqualTo(role.instanceId().get());
        assertThat(role.isReady()).isFalse();
        assertThat(role.introspectionPort()).as("introspection serves before Docker and Kafka answer").isPresent();
        assertTimeoutPreemptively(Duration.ofSeconds(10), role::stop);
        assertThat(role.isReady()).isFalse();
    }

    @Test
    void aSecondAgentOnTheSameDataDirectoryDoesNotStartAndSaysWhichDirectory(@TempDir Path dataDir) {
        // Given: an agent running on the directory
        AgentRole first = unreachable(dataDir);
        first.start();

        // When
        AgentRole second = unreachable(dataDir);
        second.start();

        // Then
        try {
            assertThat(second.startFailure()).hasValueSatisfying(why -> assertThat(why).contains(dataDir.toString()));
            assertThat(second.introspectionPort()).as("it serves nothing").isEmpty();
            assertThat(first.startFailure()).isEmpty();
        } finally {
            second.stop();
            first.stop();
        }

        // And once the first has stopped, the directory is free
        AgentRole next = unreachable(dataDir);
        next.start();
        try {
            assertThat(next.startFailure()).isEmpty();
        } finally {
            next.stop();
        }
    }

    @Test
    void theHostPortsReservedFromTasksAreEcsReservedPortsAndEveryPortThisProcessListensOn() {
        // Given: reserved ports (ECS_RESERVED_PORTS) without the agent's own, and a process on 8080, 9000 and 9092
        AgentConfig agent = agentConfig(Map.of("berth.agent.reserved-ports", "22"));

        // When
        Set<Integer> reserved = AgentRole.reservedPorts(agent, Set.of(8080, 9000, 9092, 0));

        // Then: the introspection and task metadata ports too; a free port (0) is none
        assertThat(reserved).containsExactly(22, 8080, 9000, 9092, 51678, 51679);
    }

    @Test
    void aPortThatIsOffIsNotReserved() {
        // Given
        AgentConfig agent = agentConfig(Map.of("berth.agent.reserved-ports", "22",
                "berth.agent.introspection-port", "-1", "berth.agent.task-metadata-port", "0"));

        // When
        Set<Integer> reserved = AgentRole.reservedPorts(agent, Set.of());

        // Then
        assertThat(reserved).containsExactly(22);
    }

    @Test
    void anAgentOffTheHostsNetworkReservesOnlyTheConfiguredPorts() {
        // Given: an agent in a pod of its own network (the Helm chart without hostNetwork)
        AgentConfig agent = agentConfig(Map.of("berth.agent.reserved-ports", "22,51678",
                "berth.agent.reserve-process-ports", "false"));

        // When
        Set<Integer> reserved = AgentRole.reservedPorts(agent, Set.of(8080, 9000));

        // Then
        assertThat(reserved).containsExactly(22, 51678);
    }

    private static AgentConfig agentConfig(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 300))
                .withMapping(AgentConfig.class)
                .build()
                .getConfigMapping(AgentConfig.class);
    }
}
