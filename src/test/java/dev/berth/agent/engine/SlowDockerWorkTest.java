package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow Docker work on real task threads, with a fake runtime whose pull waits until the
 * test releases it: a StopTask during a pull takes effect right after it, and one task's
 * pull never delays another task's stop.
 */
class SlowDockerWorkTest {

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new CopyOnWriteArrayList<>();
    private final CountDownLatch registry = new CountDownLatch(1);
    private TaskThreads threads;

    private TaskEngine engine(int threadLimit) {
        return engine(threadLimit, TaskThreads.DEFAULT_QUEUE_BOUND);
    }

    private TaskEngine engine(int threadLimit, int queueBound) {
        runtime.slowPull = registry;
        threads = new TaskThreads(threadLimit, queueBound);
        return new TaskEngine(INSTANCE, runtime, reported::add, threads, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @AfterEach
    void release() {
        registry.countDown();
        if (threads != null) {
            threads.close();
        }
    }

    private TaskStateChange lastOf(String taskId) {
        TaskStateChange last = null;
        for (TaskStateChange change : reported) {
            if (change.taskId().equals(taskId)) {
                last = change;
            }
        }
        return last;
    }

    private TaskStatus statusOf(String taskId) {
        TaskStateChange last = lastOf(taskId);
        return last == null ? TaskStatus.PROVISIONING : last.lastStatus();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20));
    }

    private static DesiredTask slowPullTask(String id) {
        return desired(id, 1, TaskStatus.RUNNING, Fixtures.missingImageTaskDefinition());
    }

    @Test
    void aStopTaskThatArrivesDuringThePullStopsTheTaskWithoutStartingIt() throws Exception {
        // Given: a task whose image pull is under way
        TaskEngine engine = engine(4);
        DesiredTask task = slowPullTask("slow");
        engine.desired(task);
        engine.caughtUp();
        assertThat(runtime.pullsStarted.await(20, TimeUnit.SECONDS)).isTrue();

        // When
        engine.desired(task.stop(2, "UserInitiated", "changed my mind"));
        registry.countDown();

        // Then
        await().until(() -> statusOf("slow") == TaskStatus.STOPPED);
        TaskStateChange stopped = lastOf("slow");
        assertThat(stopped.stopCode()).isEqualTo("UserInitiated");
        assertThat(stopped.pullStoppedAt()).isNotNull();
        assertThat(stopped.containers()).extracting(ContainerState::reason)
                .containsOnly("Task stopped before the container started");
        synchronized (runtime) {
            assertThat(runtime.starts).isEmpty();
        }
    }

    @Test
    void anAgentStoppingDuringAPullFailsNoTask() throws Exception {
        // Given: a task whose image pull is under way
        TaskEngine engine = engine(4);
        engine.desired(slowPullTask("slow"));
        engine.caughtUp();
        assertThat(runtime.pullsStarted.await(20, TimeUnit.SECONDS)).isTrue();

        // When: the agent stops (SIGTERM), its task threads interrupted past the grace
        threads.shutdown(Duration.ofMillis(200));
        await().until(() -> threads.active() == 0);

        // Then: the task is left as it was, for the next agent to carry on with
        assertThat(reported).filteredOn(c -> c.taskId().equals("slow"))
                .noneMatch(c -> c.lastStatus() == TaskStatus.STOPPED || c.stopCode() != null);
        assertThat(statusOf("slow")).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void aSlowPullOfOneTaskDoesNotDelayTheStopOfAnother() throws Exception {
        // Given: one task runs, another waits for its pull
        TaskEngine engine = engine(4);
        DesiredTask running = desired("fast", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition());
        engine.desired(running);
        engine.caughtUp();
        await().until(() -> statusOf("fast") == TaskStatus.RUNNING);
        engine.desired(slowPullTask("slow"));
        assertThat(runtime.pullsStarted.await(20, TimeUnit.SECONDS)).isTrue();

        // When
        engine.desired(running.stop(2, "UserInitiated", "scale in"));

        // Then: stopped while the other pull is still held
        await().until(() -> statusOf("fast") == TaskStatus.STOPPED);
        assertThat(registry.getCount()).isEqualTo(1);
        assertThat(statusOf("slow")).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void tasksWaitingForTheirTurnToStartHoldNoThreadSoAStopGoesThroughAtOnce() throws Exception {
        // Given: one task runs; then, on an engine whose starts hang, six more are placed, with
        // one turn at starting and three task threads
        threads = new TaskThreads(3);
        TaskEngine engine = new TaskEngine(INSTANCE, runtime, reported::add, threads, Clock.systemUTC(),
                Duration.ofSeconds(5), TaskCleanup.ECS_DEFAULT_WAIT, SyncTimer.UNTIMED, SweepPolicy.IMMEDIATE,
                new HostLedger(1_000_000, 1_000_000, Set.of(), Set.of(), 1));
        DesiredTask running = desired("fast", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition());
        engine.desired(running);
        engine.caughtUp();
        await().until(() -> statusOf("fast") == TaskStatus.RUNNING);
        CountDownLatch engineAnswers = new CountDownLatch(1);
        runtime.startGate = engineAnswers;
        runtime.startsBegun = new CountDownLatch(1);
        for (int i = 0; i < 6; i++) {
            engine.desired(desired("burst-" + i, 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition()));
        }
        assertThat(runtime.startsBegun.await(20, TimeUnit.SECONDS)).isTrue();

        // When
        engine.desired(running.stop(2, "UserInitiated", "scale in"));

        // Then: stopped while a start still hangs and five tasks wait for their turn
        await().until(() -> statusOf("fast") == TaskStatus.STOPPED);
        assertThat(engineAnswers.getCount()).isEqualTo(1);
        engineAnswers.countDown();
        for (int i = 0; i < 6; i++) {
            String id = "burst-" + i;
            await().until(() -> statusOf(id) == TaskStatus.RUNNING);
        }
        assertThat(runtime.mostStartsAtOnce).hasValue(1);
    }

    @Test
    void atTheThreadBoundAWakeUpWaitsForAFreeThread() throws Exception {
        // Given: the only task thread is held by a slow pull
        TaskEngine engine = engine(1, 8);
        engine.desired(slowPullTask("slow"));
        engine.caughtUp();
        assertThat(runtime.pullsStarted.await(20, TimeUnit.SECONDS)).isTrue();

        // When: another task arrives while the thread is busy, then the pull ends
        engine.desired(desired("next", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition()));
        boolean ranWhileBusy = lastOf("next") != null;
        registry.countDown();

        // Then
        assertThat(ranWhileBusy).isFalse();
        await().until(() -> statusOf("next") == TaskStatus.RUNNING);
    }

    @Test
    void pastTheQueueBoundAWakeUpIsRefusedAndTheNextResyncRetriesIt() throws Exception {
        // Given: the only thread is held by a slow pull; the two queue places hold the orphan
        // sweep of the first resync and a second task
        TaskEngine engine = engine(1, 2);
        engine.desired(slowPullTask("slow"));
        engine.caughtUp();
        assertThat(runtime.pullsStarted.await(20, TimeUnit.SECONDS)).isTrue();
        engine.desired(desired("queued", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition()));

        // When: a third task is refused, then the pull ends
        engine.desired(desired("refused", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition()));
        registry.countDown();
        await().until(() -> statusOf("queued") == TaskStatus.RUNNING && threads.active() == 0);
        boolean ranWithoutResync = lastOf("refused") != null;

        // Then: the periodic resync gets it going
        assertThat(ranWithoutResync).isFalse();
        await().pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            engine.resync();
            assertThat(statusOf("refused")).isEqualTo(TaskStatus.RUNNING);
        });
    }
}
