package dev.berth.agent.engine;

import dev.berth.testing.SettableClock;
import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.agent.messaging.StateChangeOutbox;
import dev.berth.agent.messaging.StateChangeSender;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing stopped tasks' containers after the cleanup wait, with a fake runtime and a clock
 * the test moves: the fake's containers exit at {@link #START}, when the clock starts.
 */
class TaskCleanupTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofHours(3);
    private static final Duration JUST_BEFORE = WAIT.minusSeconds(1);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final SettableClock clock = new SettableClock(START);
    private StateReporter reporter = reported::add;
    private StateChangeSender sender;
    private volatile boolean kafkaUp;

    @TempDir
    Path outboxDir;

    @AfterEach
    void closeSender() {
        if (sender != null) {
            sender.close();
        }
    }

    private TaskEngine engine() {
        return new TaskEngine(INSTANCE, runtime, reporter, Runnable::run, clock, Duration.ofSeconds(30), WAIT);
    }

    /** Reports go through a real sender and outbox; Kafka acknowledges nothing until {@link #kafkaUp}. */
    private void withKafkaDown() {
        sender = new StateChangeSender(change -> kafkaUp ? CompletableFuture.completedFuture(null)
                : new CompletableFuture<>(), Duration.ofMillis(50),
                () -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)),
                StateChangeOutbox.open(outboxDir, 10, new RecordCodec()));
        sender.start();
        reporter = new StateReporter() {
            @Override
            public boolean report(TaskStateChange change) {
                reported.add(change);
                return sender.report(change);
            }

            @Override
            public boolean acknowledged(String taskId) {
                return sender.acknowledged(taskId);
            }
        };
    }

    private TaskStateChange last() {
        return reported.get(reported.size() - 1);
    }

    /** A task that ran and was stopped by StopTask: desired STOPPED, reported STOPPED. */
    private TaskEngine withStoppedTask(String taskId) {
        TaskEngine engine = engine();
        DesiredTask task = desired(taskId, 1, TaskStatus.RUNNING);
        engine.desired(task);
        engine.caughtUp();
        engine.desired(task.stop(2, "UserInitiated", "done"));
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        return engine;
    }

    @Test
    void aStoppedTasksContainersAreKeptUntilTheWaitHasPassedThenRemoved() {
        // Given
        TaskEngine engine = withStoppedTask("t1");
        String web = runtime.container("t1", "web").id();
        String sidecar = runtime.container("t1", "sidecar").id();

        // When
        clock.advance(JUST_BEFORE);
        engine.resync();
        int beforeTheWait = runtime.containerCount();
        clock.advance(Duration.ofSeconds(1));
        engine.resync();

        // Then
        assertThat(beforeTheWait).isEqualTo(2);
        assertThat(runtime.removes).containsExactly(web, sidecar);
        assertThat(runtime.containerCount()).isZero();
        assertThat(engine.taskCount()).as("the engine forgets the task").isZero();
        assertThat(engine.snapshot()).isEmpty();
    }

    @Test
    void aStoppedTasksContainersAreKeptWhileKafkaHasNotAcknowledgedItsStoppedChange() {
        // Given: Kafka is down when the task stops
        withKafkaDown();
        TaskEngine engine = withStoppedTask("t1");

        // When
        clock.advance(WAIT.multipliedBy(2));
        engine.resync();

        // Then: its containers still hold the exit codes that Kafka has not had
        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.containerCount()).isEqualTo(2);
        assertThat(engine.taskCount()).isEqualTo(1);

        // And once Kafka has acknowledged it, they go at the next sync
        kafkaUp = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.pendingCount() == 0);
        engine.resync();
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aStoppedChangeTheDiskCannotKeepIsSentAndTheContainersWaitForKafka() throws Exception {
        // Given: Kafka is down and the disk refuses t1's changes
        withKafkaDown();
        Files.createDirectories(outboxDir.resolve(".t1.json.tmp").resolve("full"));
        TaskEngine engine = withStoppedTask("t1");

        // When
        clock.advance(WAIT.multipliedBy(2));
        engine.resync();

        // Then: the change waits for Kafka, and so do the containers that hold its exit codes
        assertThat(sender.pendingCount()).isEqualTo(1);
        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.containerCount()).isEqualTo(2);

        // And once Kafka has acknowledged it, they go at the next sync
        kafkaUp = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> sender.pendingCount() == 0);
        engine.resync();
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aRunningTaskIsNeverCleanedUp() {
        // Given
        TaskEngine engine = engine();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();

        // When
        clock.advance(WAIT.multipliedBy(10));
        engine.resync();

        // Then
        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.stops).isEmpty();
        assertThat(runtime.container("t1", "web").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(engine.taskCount()).isEqualTo(1);
    }

    @Test
    void aStoppedTaskStillWantedRunningKeepsItsContainersSoARestartedAgentDoesNotRunItAgain() {
        // Given: the essential container exited by itself; the scheduler has not yet set desired STOPPED
        DesiredTask task = desired("t1", 1, TaskStatus.RUNNING);
        TaskEngine before = engine();
        before.desired(task);
        before.caughtUp();
        runtime.exit("t1", "web", 3);
        before.resync();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        int created = runtime.creates.size();
        int started = runtime.starts.size();

        // When: the wait passes, and the agent restarts with the same record in Kafka
        clock.advance(WAIT.multipliedBy(2));
        before.resync();
        TaskEngine after = engine();
        after.desired(task);
        after.caughtUp();

        // Then
        assertThat(runtime.removes).isEmpty();
        assertThat(runtime.containerCount()).isEqualTo(2);
        assertThat(runtime.creates).hasSize(created);
        assertThat(runtime.starts).hasSize(started);
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().stopCode()).isEqualTo("EssentialContainerExited");

        // And once the scheduler wants it STOPPED, its containers go
        after.desired(task.stop(2, "EssentialContainerExited", "Essential container in task exited"));
        after.resync();
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aCleanedUpTaskIsNeverRunAgainNorReportedAgainWhileKafkaStillHoldsIt() {
        // Given
        TaskEngine engine = withStoppedTask("t1");
        clock.advance(WAIT);
        engine.resync();
        int reports = reported.size();
        DesiredTask task = desired("t1", 3, TaskStatus.RUNNING);

        // When: a later record for it, even one that asks for RUNNING
        engine.desired(task);
        engine.resync();

        // Then
        assertThat(runtime.creates).hasSize(2);
        assertThat(runtime.containerCount()).isZero();
        assertThat(reported).hasSize(reports);
    }

    @Test
    void aRestartedAgentDoesNotRunACleanedUpTaskWhoseRecordIsStopped() {
        // Given: cleaned up, then the agent restarts before the scheduler tombstones the task
        DesiredTask stopped = desired("t1", 1, TaskStatus.RUNNING).stop(2, "UserInitiated", "done");
        TaskEngine before = withStoppedTask("t1");
        clock.advance(WAIT);
        before.resync();
        assertThat(runtime.containerCount()).isZero();
        int created = runtime.creates.size();

        // When
        TaskEngine after = engine();
        after.desired(stopped);
        after.caughtUp();

        // Then
        assertThat(runtime.creates).hasSize(created);
        assertThat(runtime.starts).hasSize(2);
        assertThat(runtime.containerCount()).isZero();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void aFailedRemovalIsTriedAgainAndTheTaskIsKeptMeanwhile() {
        // Given
        TaskEngine engine = withStoppedTask("t1");
        clock.advance(WAIT);

        // When
        runtime.unavailable = true;
        engine.resync();
        int tasksWhileUnavailable = engine.taskCount();
        runtime.unavailable = false;
        engine.resync();

        // Then
        assertThat(tasksWhileUnavailable).isEqualTo(1);
        assertThat(runtime.containerCount()).isZero();
        assertThat(engine.taskCount()).isZero();
    }

    @Test
    void anExitedContainerNoTaskClaimsIsRemovedAfterTheWait() {
        // Given: a task of this instance that ran, stopped, and was then tombstoned in Kafka
        TaskEngine before = engine();
        before.desired(desired("gone", 1, TaskStatus.RUNNING));
        before.caughtUp();
        runtime.exit("gone", "web", 0);
        before.resync();
        TaskEngine after = engine();
        after.desired(desired("t2", 1, TaskStatus.STOPPED));
        after.caughtUp();

        // When
        clock.advance(JUST_BEFORE);
        after.resync();
        int beforeTheWait = runtime.containerCount();
        clock.advance(Duration.ofSeconds(1));
        after.resync();

        // Then
        assertThat(beforeTheWait).isEqualTo(2);
        assertThat(runtime.containerCount()).isZero();
    }

    @Test
    void aCreatedContainerThatNeverStartedAndNoTaskClaimsIsRemovedAfterTheWait() {
        // Given: a container of this instance created and never started (its start failed, or a
        // StopTask came between create and start), whose task is gone from Kafka
        runtime.add(new RuntimeContainer("created", "created", "berth-test/busybox:latest",
                Map.of(BerthLabels.TASK_ID, "t9", BerthLabels.INSTANCE_ID, INSTANCE, BerthLabels.CONTAINER_NAME,
                        "web"), ContainerStatus.PENDING, null, null, List.of(), null, null));
        TaskEngine engine = engine();
        engine.caughtUp();
        engine.resync();

        // When
        clock.advance(JUST_BEFORE);
        engine.resync();
        boolean keptBeforeTheWait = runtime.has("created");
        clock.advance(Duration.ofMinutes(1));
        engine.resync();

        // Then
        assertThat(keptBeforeTheWait).isTrue();
        assertThat(runtime.removes).containsExactly("created");
        assertThat(runtime.stops).isEmpty();
    }

    @Test
    void aContainerWithoutOurLabelsOrOfAnotherInstanceIsNeverTouched() {
        // Given: exited long ago, one not Berth's, one another instance's, one of this instance
        runtime.add(exited("foreign", Map.of("app", "web")));
        runtime.add(exited("other-instance", Map.of(BerthLabels.TASK_ID, "t9", BerthLabels.INSTANCE_ID,
                "fedcba9876543210fedcba9876543210", BerthLabels.CONTAINER_NAME, "web")));
        runtime.add(exited("ours", Map.of(BerthLabels.TASK_ID, "t9", BerthLabels.INSTANCE_ID, INSTANCE,
                BerthLabels.CONTAINER_NAME, "web")));
        TaskEngine engine = engine();
        engine.caughtUp();

        // When
        clock.advance(WAIT.multipliedBy(10));
        engine.resync();

        // Then
        assertThat(runtime.removes).containsExactly("ours");
        assertThat(runtime.stops).isEmpty();
        assertThat(runtime.has("foreign")).isTrue();
        assertThat(runtime.has("other-instance")).isTrue();
    }

    private static RuntimeContainer exited(String id, Map<String, String> labels) {
        return new RuntimeContainer(id, id, "berth-test/busybox:latest", labels, ContainerStatus.STOPPED, 0, null,
                List.of(), START.minusSeconds(60), START);
    }
}
