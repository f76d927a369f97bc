package dev.berth.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {

    private static final long GATHER = Duration.ofMillis(50).toNanos();

    @Test
    void aWakeAfterQuickRoundsWaitsTheGatherTime() {
        // Given: the last woken round took 5 ms and ended just now
        long lastRound = Duration.ofMillis(5).toNanos();

        // When
        long delay = ReconcileLoop.wakeDelayNanos(GATHER, lastRound, 0);

        // Then
        assertThat(delay).isEqualTo(GATHER);
    }

    @Test
    void aWakeRightAfterALongRoundRestsAsLongAsThatRoundTook() {
        // Given: the last woken round took 300 ms and ended 100 ms ago
        long lastRound = Duration.ofMillis(300).toNanos();

        // When
        long delay = ReconcileLoop.wakeDelayNanos(GATHER, lastRound, Duration.ofMillis(100).toNanos());

        // Then: the rest is 300 ms from its end, 200 ms from now
        assertThat(delay).isEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void aWakeLongAfterALongRoundWaitsOnlyTheGatherTime() {
        // Given: the last woken round took 300 ms and ended a second ago
        long lastRound = Duration.ofMillis(300).toNanos();

        // When
        long delay = ReconcileLoop.wakeDelayNanos(GATHER, lastRound, Duration.ofSeconds(1).toNanos());

        // Then
        assertThat(delay).isEqualTo(GATHER);
    }
}
