package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void eachWaitIsBetweenHalfAndAllOfAStepThatDoublesUpToTheCeiling() {
        // Given: the lowest and the highest jitter
        Backoff lowest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        Backoff highest = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.999_999);

        // When / Then
        for (long step : new long[] {100, 200, 400, 800, 1000, 1000}) {
            assertThat(lowest.nextDelay()).isEqualTo(Duration.ofMillis(step / 2));
            assertThat(highest.nextDelay()).isBetween(Duration.ofMillis(step - 1), Duration.ofMillis(step));
        }
    }

    @Test
    void agentsThatLostKafkaTogetherDoNotRetryInStep() {
        // Given: a thousand agents backing off from the same moment
        Set<Duration> firstRetries = new HashSet<>();

        // When
        for (int agent = 0; agent < 1000; agent++) {
            firstRetries.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).nextDelay());
        }

        // Then
        assertThat(firstRetries).hasSizeGreaterThan(900)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
    }

    @Test
    void aResetStartsFromTheFirstStepAgain() {
        // Given
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), () -> 0.0);
        backoff.nextDelay();
        backoff.nextDelay();

        // When
        backoff.reset();

        // Then
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(50));
    }
}
