package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.agent.capacity.HostFacts;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The registration a restarted agent sends: the first registeredAt, a rising version, and none without a cluster. */
class InstanceHeartbeatTest {

    private static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");

    private final List<InstanceRegistration> sent = new ArrayList<>();
    private final SettableClock clock = new SettableClock(FIRST.plus(Duration.ofDays(2)));
    private final AtomicBoolean clusterExists = new AtomicBoolean(true);
    private final HostCapacity capacity = HostCapacity.of(new HostFacts(2, 4L << 30, "amd64", "Debian", "6.1", "h1"),
            0, Set.of(22), Set.of(53));

    private InstanceHeartbeat heartbeat(RegistrationHistory history) {
        RegisteredHost host = new RegisteredHost("1.0", () -> "28.2.2", capacity,
                () -> new RemainingResources(1024, 2048, Set.of(22, 8080), Set.of(53)));
        return new InstanceHeartbeat("i-1", "prod", host, clock, history, clusterExists::get,
                registration -> {
                    sent.add(registration);
                    return CompletableFuture.completedFuture(null);
                });
    }

    @Test
    void afterARestartWhoseClockSteppedBackTheVersionStillRisesAndRegisteredAtIsTheFirst() {
        // Given: the last registration was versioned by a clock a day ahead
        long lastVersion = clock.instant().plus(Duration.ofDays(1)).toEpochMilli();

        // When
        heartbeat(new RegistrationHistory(FIRST, lastVersion)).beat();

        // Then
        assertThat(sent).singleElement().satisfies(registration -> {
            assertThat(registration.version()).isGreaterThan(lastVersion);
            assertThat(registration.registeredAt()).isEqualTo(FIRST);
        });
    }

    @Test
    void theVersionIsASmallCounterThatMovesOnlyWhenTheRegistrationChanges() {
        // Given
        InstanceHeartbeat heartbeat = heartbeat(new RegistrationHistory(FIRST, 41));

        // When: two beats that say the same, then the last one before shutting down
        heartbeat.beat();
        clock.advance(Duration.ofSeconds(10));
        heartbeat.beat();
        heartbeat.farewell();

        // Then
        assertThat(sent).extracting(InstanceRegistration::version).containsExactly(42L, 42L, 43L);
        assertThat(sent.get(1).heartbeatAt()).isAfter(sent.get(0).heartbeatAt());
    }

    @Test
    void everyRecordOfOneProcessCarriesItsSessionAndARestartTakesANewOne() {
        // Given: an agent that beats twice, then its restart from the last version
        InstanceHeartbeat first = heartbeat(new RegistrationHistory(FIRST, 41));
        first.beat();
        first.beat();
        heartbeat(new RegistrationHistory(FIRST, 42)).beat();

        // Then
        assertThat(sent).extracting(InstanceRegistration::agentSession).doesNotContainNull();
        assertThat(sent.get(1).agentSession()).isEqualTo(sent.get(0).agentSession());
        assertThat(sent.get(2).agentSession()).isNotEqualTo(sent.get(0).agentSession());
        assertThat(sent.get(2).version()).isEqualTo(43);
    }

    @Test
    void nothingIsSentWhileTheClusterDoesNotExist() {
        // Given
        clusterExists.set(false);
        InstanceHeartbeat heartbeat = heartbeat(new RegistrationHistory(FIRST, 0));

        // When
        heartbeat.beat();
        clusterExists.set(true);
        heartbeat.beat();

        // Then: the beat still counts for liveness, and the first registration goes once the cluster exists
        assertThat(sent).hasSize(1);
        assertThat(heartbeat.lastBeat()).isPresent();
    }

    @Test
    void theRegistrationCarriesWhatTheLedgerHasLeftAndTheDockerVersion() {
        // Given
        InstanceHeartbeat heartbeat = heartbeat(new RegistrationHistory(FIRST, 0));

        // When
        heartbeat.beat();

        // Then
        assertThat(sent).singleElement().satisfies(registration -> {
            assertThat(registration.dockerVersion()).isEqualTo("28.2.2");
            assertThat(registration.remainingResources())
                    .isEqualTo(new RemainingResources(1024, 2048, Set.of(22, 8080), Set.of(53)));
            assertThat(registration.registeredResources().cpu()).isEqualTo(2048);
            assertThat(registration.registeredResources().ports()).containsExactly(22);
            assertThat(registration.registeredResources().portsUdp()).as("ECS's PORTS_UDP").containsExactly(53);
        });
    }
}
