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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role's lifecycle when neither Docker nor Kafka can be reached: no blocking, no crash. */
class AgentRoleTest {

    @Test
    void startReturnsAtOnceAndStopStillWorksWhileNothingCanBeReached(@TempDir Path dataDir) throws Exception {
        // Given
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
        AgentRole role = new AgentRole(config.getConfigMapping(AgentConfig.class),
                config.getConfigMapping(KafkaSettings.class), dataDir.toString());

        // When
        assertTimeoutPreemptively(Duration.ofSeconds(5), role::start);

        // Then
        assertThat(role.instanceId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
        assertThat(Files.readString(dataDir.resolve("agent/instance-id")).trim()).isEqualTo(role.instanceId().get());
        assertThat(role.isReady()).isFalse();
        assertThat(role.introspectionPort()).as("introspection serves before Docker and Kafka answer").isPresent();
        assertTimeoutPreemptively(Duration.ofSeconds(10), role::stop);
        assertThat(role.isReady()).isFalse();
    }
}
