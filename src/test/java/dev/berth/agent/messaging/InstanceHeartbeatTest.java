package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.agent.capacity.HostFacts;
import dev.berth.agent.engine.FakeContainerRuntime;
import dev.berth.agent.engine.HostLedger;
import dev.berth.agent.engine.SweepPolicy;
import dev.berth.agent.engine.SyncTimer;
import dev.berth.agent.engine.TaskEngine;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registration a restarted agent sends: the first registeredAt, a rising version, and none without a cluster. */
class InstanceHeartbeatTest {

    private static final Instant FIRST = Instant.parse("2025-01-01T00:00:00Z");

    private final List<InstanceRegistration> sent = new ArrayList<>();
    private final SettableClock clock = new SettableClock(FIRST.plus(Duration.ofDays(2)));
    private final AtomicBoolean clusterExists = new AtomicBoolean(true);
    @TempDir
    Path dataDir;
    private final HostCapacity capacity = HostCapacity.of(new HostFacts(2, 4L << 30, "amd64", "Debian", "6.1", "h1"),
            0, Set.of(22), Set.of(53));

    private InstanceHeartbeat heartbeat(RegistrationHistory history) {
        return heartbeat(history, new RegisteredHost("1.0", () -> "28.2.2", capacity,
                () -> new RemainingResources(1024, 2048, Set.of(22, 8080), Set.of(53))));
    }

    private InstanceHeartbeat heartbeat(RegistrationHistory history, RegisteredHost host) {
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

    @Test
    void beforeTheEngineHasCaughtUpAfterARestartTheHeartbeatCarriesWhatWasLeftBeforeItNotAFreeHost() {
        // Given: before the restart, the host's tasks held 256 CPU units, 96 MiB and TCP port 8080,
        // as its last registration said; the restarted engine has not read berth.tasks yet
        RemainingResources beforeRestart = new RemainingResources(1792, 4000, Set.of(22, 8080), Set.of(53));
        InstanceRegistration last = new InstanceRegistration(1, 41, "i-1", "prod", "h1", "1.0",
                capacity.resources(), capacity.attributes(), FIRST, FIRST.plus(Duration.ofDays(1)), false,
                beforeRestart, "28.2.2", "before", null);
        TaskEngine engine = new TaskEngine("i-1", new FakeContainerRuntime(), change -> true, Runnable::run, clock,
                Duration.ofSeconds(30), Duration.ofHours(3), SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE,
                new HostLedger(2048, 4096, Set.of(22), Set.of(53)));
        InstanceHeartbeat heartbeat = heartbeat(RegistrationHistory.load(dataDir, "i-1", Optional.of(last), clock),
                new RegisteredHost("1.0", () -> "28.2.2", capacity, engine::remaining, engine::isCaughtUp, () -> null));

        // When: the first heartbeat goes before the engine has caught up
        heartbeat.beat();

        // Then: it does not claim that the memory and port the running tasks hold are free
        assertThat(sent).singleElement().extracting(InstanceRegistration::remainingResources)
                .isEqualTo(beforeRestart);

        // When: the engine has caught up (no task is left on the host) and the next heartbeat goes
        engine.caughtUp();
        heartbeat.beat();

        // Then: it carries what the whole ledger has left
        assertThat(sent.get(1).remainingResources())
                .isEqualTo(new RemainingResources(2048, 4096, Set.of(22), Set.of(53)));
    }

    @Test
    void anInstanceThatNeverRegisteredCarriesItsLedgerFromTheFirstHeartbeat() {
        // Given: no registration on berth.instances, so no task was ever placed here; the engine has not caught up
        InstanceHeartbeat heartbeat = heartbeat(RegistrationHistory.load(dataDir, "i-1", Optional.empty(), clock),
                new RegisteredHost("1.0", () -> "28.2.2", capacity,
                        () -> new RemainingResources(2048, 4096, Set.of(22), Set.of(53)), () -> false, () -> null));

        // When
        heartbeat.beat();

        // Then
        assertThat(sent).singleElement().extracting(InstanceRegistration::remainingResources)
                .isEqualTo(new RemainingResources(2048, 4096, Set.of(22), Set.of(53)));
    }
}
