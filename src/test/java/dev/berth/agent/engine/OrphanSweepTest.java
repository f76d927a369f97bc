package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When the orphan sweep may stop a container that no task claims: after its grace, and never when refused. */
class OrphanSweepTest {

    private static final Duration GRACE = Duration.ofMinutes(5);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new CopyOnWriteArrayList<>();
    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final AtomicReference<String> refusal = new AtomicReference<>();

    private TaskEngine engine() {
        return engine(Runnable::run);
    }

    private TaskEngine engine(Executor executor) {
        return new TaskEngine(INSTANCE, runtime, reported::add, executor, clock, Duration.ofSeconds(30),
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

    @Test
    void sweepsAskedForWhileOneIsStuckCoalesceAndLeaveTheOtherTasksTheirThreads() {
        // Given: a running orphan whose stop hangs, the engine on four task threads, a sweep past the grace period stuck in it
        orphanOfAnEarlierAgent();
        CountDownLatch stopHangs = new CountDownLatch(1);
        runtime.stopGate = stopHangs;
        runtime.stopsBegun = new CountDownLatch(1);
        try (TaskThreads threads = new TaskThreads(4)) {
            TaskEngine after = engine(threads);
            after.caughtUp();
            try {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    clock.advance(GRACE);
                    after.resync();
                    assertThat(runtime.stopsBegun.getCount()).isZero();
                });

                // When
                for (int i = 0; i < 5; i++) {
                    after.resync();
                }
                after.desired(desired("other", 1, TaskStatus.RUNNING));

                // Then: the other task is served, and the sweep holds one thread, while the stop still hangs
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reported)
                        .anyMatch(r -> r.taskId().equals("other") && r.lastStatus() == TaskStatus.RUNNING));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(threads.active()).isEqualTo(1));
                assertThat(stopHangs.getCount()).isEqualTo(1);
            } finally {
                stopHangs.countDown();
            }
        }
    }

    @Test
    void anOrphanDockerWillNotStopIsTriedAsOftenAsATasksContainerThenLeftAlone() {
        // Given: a running orphan task, past the grace period, whose every container stop Docker refuses
        orphanOfAnEarlierAgent();
        runtime.stopsRefused.add(runtime.container("gone", "web").id());
        runtime.stopsRefused.add(runtime.container("gone", "sidecar").id());
        TaskEngine after = engine();
        after.caughtUp();
        clock.advance(GRACE);

        // When
        for (int i = 0; i < 3 * StopSequence.MAX_STOP_ATTEMPTS; i++) {
            after.resync();
        }

        // Then: each of its two containers was tried as often as a task's own
        assertThat(runtime.calls.stream().filter("stop"::equals)).hasSize(2 * StopSequence.MAX_STOP_ATTEMPTS);
        assertThat(orphanStatus()).isEqualTo(ContainerStatus.RUNNING);
    }
}
