package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerSettings.RestartPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When ECS's restartPolicy restarts a container that exited. */
class ContainerRestartsTest {

    private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void aContainerThatRanForTheAttemptPeriodIsRestartedUnlessItsExitCodeIsIgnored() {
        // Given
        RestartPolicy policy = new RestartPolicy(true, List.of(0), 60);
        Instant later = STARTED.plus(Duration.ofSeconds(60));

        // Then
        assertThat(ContainerRestarts.shouldRestart(policy, 1, STARTED, later)).isTrue();
        assertThat(ContainerRestarts.shouldRestart(policy, 0, STARTED, later)).as("ignored exit code").isFalse();
        assertThat(ContainerRestarts.shouldRestart(policy, 1, STARTED, later.minusSeconds(1)))
                .as("exited before the attempt period").isFalse();
    }

    @Test
    void theDefaultPeriodIsFiveMinutesAndADisabledPolicyNeverRestarts() {
        // Given
        RestartPolicy defaults = new RestartPolicy(true, null, null);
        RestartPolicy disabled = new RestartPolicy(false, null, 60);

        // Then
        assertThat(ContainerRestarts.shouldRestart(defaults, 2, STARTED, STARTED.plusSeconds(299))).isFalse();
        assertThat(ContainerRestarts.shouldRestart(defaults, 2, STARTED, STARTED.plusSeconds(300))).isTrue();
        assertThat(ContainerRestarts.shouldRestart(disabled, 2, STARTED, STARTED.plusSeconds(3600))).isFalse();
        assertThat(ContainerRestarts.shouldRestart(defaults, null, STARTED, STARTED.plusSeconds(3600)))
                .as("no exit code: it never ran").isFalse();
    }
}
