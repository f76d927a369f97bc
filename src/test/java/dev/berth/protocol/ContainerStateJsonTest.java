package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A container's health and restart count travel on berth.task-events, and older records still read. */
class ContainerStateJsonTest {

    private final RecordCodec codec = new RecordCodec();

    private static TaskStateChange change(ContainerState container) {
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, 3, "t1", "default", "i1", TaskStatus.RUNNING,
                List.of(container), null, null, null, null, Instant.parse("2025-01-01T00:00:00Z"), null, null,
                Instant.parse("2025-01-01T00:00:01Z"));
    }

    @Test
    void healthAndRestartCountSurviveTheRoundTrip() {
        // Given
        TaskStateChange sent = change(new ContainerState("db", "d1", "busybox", ContainerStatus.RUNNING, null, null,
                List.of(), HealthStatus.UNHEALTHY, 2));

        // When
        RecordCodec.Decoded decoded = codec.decode(codec.encode(sent));

        // Then
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(sent));
    }

    @Test
    void aContainerWithoutHealthCheckOrRestartPolicyWritesNeither() {
        // Given
        TaskStateChange sent = change(new ContainerState("web", "w1", "busybox", ContainerStatus.RUNNING, null, null,
                List.of()));

        // When
        String json = new String(codec.encode(sent), java.nio.charset.StandardCharsets.UTF_8);

        // Then
        assertThat(json).doesNotContain("healthStatus", "restartCount");
    }
}
