package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registeredAt is the first registration, and versions continue from the last record, across restarts. */
class RegistrationHistoryTest {

    private static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(FIRST);

    @Test
    void aRestartKeepsTheFirstRegistrationTimeFromTheDataDir() {
        // Given
        RegistrationHistory.load(dataDir, "i", Optional.empty(), clock);

        // When: a day later, with Kafka holding nothing of this instance
        clock.advance(Duration.ofDays(1));
        RegistrationHistory again = RegistrationHistory.load(dataDir, "i", Optional.empty(), clock);

        // Then
        assertThat(again.registeredAt()).isEqualTo(FIRST);
        assertThat(again.lastVersion()).isZero();
    }

    @Test
    void theLastRecordOnKafkaGivesTheVersionAndAnEarlierFirstRegistration() {
        // Given: the data dir is new, Kafka knows the instance
        clock.advance(Duration.ofDays(3));
        InstanceRegistration last = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 9_999_999_999_999L, "i",
                "default", "host", "1", Resources.NONE, Map.of(), FIRST, FIRST, true, null, null, null);

        // When
        RegistrationHistory history = RegistrationHistory.load(dataDir, "i", Optional.of(last), clock);

        // Then
        assertThat(history.registeredAt()).isEqualTo(FIRST);
        assertThat(history.lastVersion()).isEqualTo(9_999_999_999_999L);
        assertThat(RegistrationHistory.load(dataDir, "i", Optional.empty(), clock).registeredAt()).isEqualTo(FIRST);
    }

    @Test
    void aRestartWithTheClockSteppedBackKeepsTheFirstRegistration() {
        // Given: registered, in the data dir and on Kafka
        RegistrationHistory.load(dataDir, "i", Optional.empty(), clock);
        InstanceRegistration last = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 7, "i", "default", "host",
                "1", Resources.NONE, Map.of(), FIRST, FIRST, true, null, null, null);

        // When: the agent restarts with its clock a day behind
        clock.set(FIRST.minus(Duration.ofDays(1)));
        RegistrationHistory behind = RegistrationHistory.load(dataDir, "i", Optional.of(last), clock);

        // Then: and again once the clock is right
        clock.set(FIRST.plus(Duration.ofDays(2)));
        assertThat(behind.registeredAt()).isEqualTo(FIRST);
        assertThat(RegistrationHistory.load(dataDir, "i", Optional.empty(), clock).registeredAt()).isEqualTo(FIRST);
    }

    @Test
    void aHostThatBecameANewContainerInstanceStartsANewRegistrationTime() {
        // Given: registered as instance i
        RegistrationHistory.load(dataDir, "i", Optional.empty(), clock);

        // When: its instance-id file was deleted, and a month later it registers as instance j
        clock.advance(Duration.ofDays(30));
        RegistrationHistory fresh = RegistrationHistory.load(dataDir, "j", Optional.empty(), clock);

        // Then: j's registration is new, and stays the first one of j across restarts
        assertThat(fresh.registeredAt()).isEqualTo(FIRST.plus(Duration.ofDays(30)));
        clock.advance(Duration.ofDays(1));
        assertThat(RegistrationHistory.load(dataDir, "j", Optional.empty(), clock).registeredAt())
                .isEqualTo(FIRST.plus(Duration.ofDays(30)));
    }

    @Test
    void aTimeKeptBeforeTheInstanceWasNamedBesideItStillCounts() throws Exception {
        // Given: a data dir written by an agent that kept only the time
        java.nio.file.Files.createDirectories(dataDir.resolve("agent"));
        java.nio.file.Files.writeString(dataDir.resolve("agent").resolve("registered-at"), FIRST + "\n");
        clock.advance(Duration.ofDays(2));

        // When
        RegistrationHistory history = RegistrationHistory.load(dataDir, "i", Optional.empty(), clock);

        // Then
        assertThat(history.registeredAt()).isEqualTo(FIRST);
    }
}
