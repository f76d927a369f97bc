package dev.berth.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Liveness judged from when each loop last turned, with the clock in the test's hands. */
class LoopLivenessTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration PERIOD = Duration.ofSeconds(10);

    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final AtomicReference<Instant> resyncTick = new AtomicReference<>();
    private final AtomicReference<Instant> heartbeatTick = new AtomicReference<>();

    private LoopLiveness liveness() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new LoopLiveness("agent-loops", List.of(
                new Loop("resync", PERIOD, () -> Optional.ofNullable(resyncTick.get())),
                new Loop("heartbeat", PERIOD, () -> Optional.ofNullable(heartbeatTick.get()))), clock);
    }

    @Test
    void isUpWhileEveryLoopTurnedWithinTolerancePeriods() {
        // Given
        resyncTick.set(T0);
        heartbeatTick.set(T0);

        // When
        now.set(T0.plus(PERIOD.multipliedBy(LoopLiveness.TOLERANCE)));
        HealthCheckResponse response = liveness().call();

        // Then
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getName()).isEqualTo("agent-loops");
        assertThat(response.getData().orElseThrow())
                .containsEntry("resync", "ticking: last turned 30000ms ago")
                .containsEntry("heartbeat", "ticking: last turned 30000ms ago");
    }

    @Test
    void aRoleThatCouldNotStartIsDownThoughItsLoopsNeverStarted() {
        // Given: the start-up thread failed, so no loop ever turned (which alone counts as alive)
        LoopLiveness failed = new LoopLiveness("agent-loops", List.of(
                new Loop("resync", PERIOD, Optional::empty)), Clock.systemUTC(),
                () -> Optional.of("UncheckedIOException: the data directory is read-only"));

        // When
        HealthCheckResponse response = failed.call();

        // Then
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("start",
                "failed: UncheckedIOException: the data directory is read-only");
    }

    @Test
    void isDownAndNamesTheLoopThatStoppedTurning() {
        // Given
        resyncTick.set(T0);
        heartbeatTick.set(T0.plusSeconds(25));

        // When
        now.set(T0.plusSeconds(31));
        HealthCheckResponse response = liveness().call();

        // Then
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow())
                .containsEntry("resync", "stalled: last turned 31s ago, limit 30s")
                .containsEntry("heartbeat", "ticking: last turned 6000ms ago");
    }

    @Test
    void recoversOnceTheLoopTurnsAgain() {
        // Given
        resyncTick.set(T0);
        heartbeatTick.set(T0);
        now.set(T0.plusSeconds(60));
        LoopLiveness liveness = liveness();
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);

        // When
        resyncTick.set(now.get());
        heartbeatTick.set(now.get());

        // Then
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void countsALoopThatHasNotStartedAsAlive() {
        // Given: the role still waits for Kafka or Docker, so its loops have not started
        heartbeatTick.set(null);
        resyncTick.set(null);

        // When
        now.set(T0.plus(Duration.ofHours(1)));
        HealthCheckResponse response = liveness().call();

        // Then
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("resync", "not started");
    }
}
