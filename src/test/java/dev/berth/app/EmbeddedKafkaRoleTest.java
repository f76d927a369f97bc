package dev.berth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaRoleTest {

    @Test
    void aBuildWithoutTheBrokerSaysPlainlyThatTheRoleIsMissing() {
        // Given a binary without dev.berth.kafka, as the native one
        EmbeddedKafkaRole role = new EmbeddedKafkaRole(Optional.empty());

        // When / Then
        assertThat(role.isAvailable()).isFalse();
        assertThatThrownBy(() -> role.start(Path.of("/tmp/berth")))
                .isInstanceOf(EmbeddedKafkaRole.Unavailable.class)
                .hasMessageStartingWith("the kafka role is not in this native build")
                .hasMessageContaining("BERTH_ROLES");
    }

    @Test
    void aBuildWithTheBrokerStartsIt() {
        // Given
        Path[] startedIn = new Path[1];
        EmbeddedKafkaRole role = new EmbeddedKafkaRole(Optional.of(dataDir -> {
            startedIn[0] = dataDir;
            return new EmbeddedKafkaRole.RunningBroker() {
                @Override
                public String bootstrapServers() {
                    return "127.0.0.1:9092";
                }

                @Override
                public java.util.Set<Integer> ports() {
                    return java.util.Set.of(9092, 9093);
                }

                @Override
                public void close() {
                }
            };
        }));

        // When
        EmbeddedKafkaRole.RunningBroker broker = role.start(Path.of("/var/lib/berth"));

        // Then
        assertThat(role.isAvailable()).isTrue();
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(startedIn[0]).isEqualTo(Path.of("/var/lib/berth"));
    }
}
