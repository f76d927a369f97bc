package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When the orphan sweep may stop a container that no task claims: after its grace, and never when refused. */
class OrphanSweepTest {

    private static final Duration GRACE = Duration.ofMinutes(5);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final AtomicReference<String> refusal = new AtomicReference<>();

    private TaskEngine engine() {
        return new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run, clock, Duration.ofSeconds(30),
                Duration.ofHours(3), SyncTimer.UNTIMED,
                new SweepPolicy(GRACE, () -> Optional.ofNullable(refusal.get())), HostLedger.unbounded());
    }

    /** A container of this instance whose task a first agent ran, and that the next agent's Kafka does not hold. */
    private TaskStateChange orphanOfAnEarlierAgent() {
        TaskEngine before = engine();
        before.desired(desired("gone", 1, TaskStatus.RUNNING));
        before.caughtUp();
        return reported.get(reported.size() - 1);
    }

    private ContainerStatus orphanStatus() {
        return runtime.container("gone", "web").status();
    }

    @Test
    void anOrphanIsStoppedOnlyAfterTheGracePeriod() {
        // Given
        orphanOfAnEarlierAgent();
        TaskEngine after = engine();
        after.caughtUp();

        // When
        clock.advance(GRACE.minusSeconds(1));
        after.resync();
        ContainerStatus withinGrace = orphanStatus();
        clock.advance(Duration.ofSeconds(1));
        after.resync();

        // Then
        assertThat(withinGrace).isEqualTo(ContainerStatus.RUNNING);
        assertThat(orphanStatus()).isEqualTo(ContainerStatus.STOPPED);
    }

    @Test
    void aRefusingGateStopsNothingHoweverLongItLasts() {
        // Given
        orphanOfAnEarlierAgent();
        refusal.set("the Kafka cluster id changed");
        TaskEngine after = engine();
        after.caughtUp();

        // When
        clock.advance(GRACE.multipliedBy(10));
        after.resync();

        // Then
        assertThat(orphanStatus()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void aTaskThisAgentReportedButBerthTasksDoesNotHoldIsLeftAlone() {
        // Given: the agent's own last report names the task, its partition of berth.tasks does not
        TaskStateChange lastReport = orphanOfAnEarlierAgent();
        TaskEngine after = engine();
        after.seed(List.of(lastReport));
        after.caughtUp();

        // When
        clock.advance(GRACE.multipliedBy(2));
        after.resync();

        // Then
        assertThat(orphanStatus()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void onceKafkaForgetsTheReportedTaskItsContainerIsAnOrphanAgain() {
        // Given
        TaskStateChange lastReport = orphanOfAnEarlierAgent();
        TaskEngine after = engine();
        after.seed(List.of(lastReport));
        after.caughtUp();

        // When: the scheduler tombstones the task
        after.forget("gone");
        after.resync();
        clock.advance(GRACE);
        after.resync();

        // Then
        assertThat(orphanStatus()).isEqualTo(ContainerStatus.STOPPED);
    }
}
