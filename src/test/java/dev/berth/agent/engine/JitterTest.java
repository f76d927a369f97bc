package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JitterTest {

    @Test
    void periodsStayBetweenTheBaseAndTwentyPercentMoreAndDiffer() {
        // Given
        Jitter jitter = new Jitter(Duration.ofSeconds(30), new Random(42));

        // When
        Set<Duration> periods = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            periods.add(jitter.next());
        }

        // Then
        assertThat(periods).allSatisfy(period -> assertThat(period)
                .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36)));
        assertThat(periods).hasSizeGreaterThan(50);
    }

    @Test
    void theSameSeedGivesTheSamePeriods() {
        // Given
        Jitter first = new Jitter(Duration.ofSeconds(10), new Random(7));
        Jitter second = new Jitter(Duration.ofSeconds(10), new Random(7));

        // When
        Duration a = first.next();
        Duration b = second.next();

        // Then
        assertThat(a).isEqualTo(b);
    }
}
