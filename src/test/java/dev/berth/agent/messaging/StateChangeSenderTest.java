package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateChangeSenderTest {

    private static final int CAPACITY = 3;

    @TempDir
    Path dir;

    private final List<TaskStateChange> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    /** The tasks whose changes Kafka refuses for good, as a record over the broker's size limit. */
    private final Set<String> tooLarge = ConcurrentHashMap.newKeySet();
    private volatile boolean kafkaDown;
    private Duration backoff = Duration.ofMillis(1);
    private StateChangeSender sender;

    private StateChangeSender sender() {
        if (sender == null) {
            Duration first = backoff;
            sender = new StateChangeSender(this::send, Duration.ofSeconds(5),
                    () -> new Backoff(first, first.multipliedBy(5)), outbox());
        }
        return sender;
    }

    private StateChangeOutbox outbox() {
        return StateChangeOutbox.open(dir, CAPACITY, new RecordCodec());
    }

    private CompletableFuture<?> send(TaskStateChange change) {
        attempts.add(change.taskId());
        if (tooLarge.contains(change.taskId())) {
            return CompletableFuture.failedFuture(new RecordTooLargeException("The message is 1048677 bytes"));
        }
        if (kafkaDown || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker not available"));
        }
        acknowledged.add(change);
        return CompletableFuture.completedFuture(null);
    }

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
    }

    private static TaskStateChange change(String taskId, long version, TaskStatus status) {
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, taskId, "default", "i-1", status, List.of(),
                null, null, null, null, null, null, null, null);
    }

    @Test
    void failedSendsAreRetriedUntilAcknowledgedAndEachTaskEndsWithItsLatestChange() {
        // Given: Kafka refuses the first three sends
        failuresLeft.set(3);
        sender().start();

        // When
        sender().report(change("t1", 1, TaskStatus.PENDING));
        sender().report(change("t1", 2, TaskStatus.RUNNING));
        sender().report(change("t2", 1, TaskStatus.PENDING));
        sender().report(change("t1", 3, TaskStatus.STOPPED));

        // Then: versions of a task only ever go up on the topic, and the last is the latest
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sender().pendingCount()).isZero());
        List<Long> t1 = acknowledged.stream().filter(c -> c.taskId().equals("t1")).map(TaskStateChange::version)
                .toList();
        assertThat(t1).isSorted().last().isEqualTo(3L);
        assertThat(acknowledged).extracting(TaskStateChange::taskId).contains("t2");
    }

    @Test
    void duringAnOutageOnlyTheLatestChangeOfEachTaskIsKeptAndDeliveredWhenKafkaReturns() {
        // Given: Kafka is down
        kafkaDown = true;
        sender().start();

        // When
        sender().report(change("t1", 1, TaskStatus.PENDING));
        sender().report(change("t1", 2, TaskStatus.RUNNING));
        sender().report(change("t1", 3, TaskStatus.STOPPED));
        sender().report(change("t2", 1, TaskStatus.RUNNING));
        int buffered = sender().pendingCount();
        kafkaDown = false;

        // Then
        assertThat(buffered).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(acknowledged)
                .extracting(c -> c.taskId() + "@" + c.version())
                .containsExactlyInAnyOrder("t1@3", "t2@1"));
    }

    @Test
    void atTheBoundANewTasksChangeIsRefusedWhileBufferedTasksStillCoalesce() {
        // Given: the outbox holds CAPACITY tasks and Kafka is down
        kafkaDown = true;
        for (int i = 1; i <= CAPACITY; i++) {
            assertThat(sender().report(change("t" + i, 1, TaskStatus.RUNNING))).isTrue();
        }

        // When
        boolean newTask = sender().report(change("t9", 1, TaskStatus.STOPPED));
        boolean bufferedTask = sender().report(change("t1", 2, TaskStatus.STOPPED));

        // Then
        assertThat(newTask).isFalse();
        assertThat(bufferedTask).isTrue();
        assertThat(sender().pendingCount()).isEqualTo(CAPACITY);
    }

    @Test
    void changesNotAcknowledgedBeforeAStopAreSentByTheNextStart() {
        // Given: an agent that stopped while Kafka was down
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        sender().report(change("t1", 2, TaskStatus.STOPPED));
        assertThat(sender().flush(Duration.ofMillis(50))).isFalse();
        sender().close();

        // When: the next start, with Kafka back
        kafkaDown = false;
        sender = null;
        sender().start();

        // Then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(acknowledged)
                .extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@2"));
        assertThat(sender().pendingCount()).isZero();
        assertThat(outbox().size()).as("the acknowledged change is no longer on disk").isZero();
    }

    @Test
    void aChangeTheDiskCannotKeepIsStillTakenAndTheOlderOneStaysOnDisk() throws Exception {
        // Given: t1's RUNNING change on disk, then a disk that refuses the STOPPED one
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        Path blocker = dir.resolve(".t1.json.tmp");
        Files.createDirectories(blocker.resolve("full"));

        // When
        boolean taken = sender().report(change("t1", 2, TaskStatus.STOPPED));

        // Then: it is taken (a full disk does not silence the host), and Kafka gets it when it answers
        assertThat(taken).isTrue();
        kafkaDown = false;
        sender().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sender().pendingCount() == 0);
        assertThat(acknowledged).extracting(c -> c.taskId() + "@" + c.version()).contains("t1@2");
        Files.delete(blocker.resolve("full"));
        Files.delete(blocker);
    }

    @Test
    void aChangeTheDiskCannotKeepLeavesTheOlderOneForARestart() throws Exception {
        // Given: t1's RUNNING change on disk, then a disk that refuses the STOPPED one, Kafka away
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        Path blocker = dir.resolve(".t1.json.tmp");
        Files.createDirectories(blocker.resolve("full"));
        sender().report(change("t1", 2, TaskStatus.STOPPED));

        // When the agent restarts before Kafka is back
        sender().close();
        sender = null;
        Files.delete(blocker.resolve("full"));
        Files.delete(blocker);

        // Then the older change is what the next start sends: the best that is left
        assertThat(outbox().pending()).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@1");
    }

    @Test
    void aChangeReportedByAnInterruptedThreadIsKeptOnDisk() {
        // Given: Kafka is down, and the agent's shutdown interrupts the task threads
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));

        // When: a worker reports on its way out
        Thread.currentThread().interrupt();
        boolean taken;
        boolean stillInterrupted;
        try {
            taken = sender().report(change("t1", 2, TaskStatus.STOPPED));
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        // Then: the next start sends it, and the interrupt is left for the worker to see
        assertThat(taken).isTrue();
        assertThat(stillInterrupted).isTrue();
        assertThat(outbox().pending()).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@2");
    }

    @Test
    void aChangeKafkaAlreadyHoldsIsNotSentAgainAfterARestart() {
        // Given: changes buffered on disk, one of which Kafka holds (sent, then the agent died before the acknowledgement)
        kafkaDown = true;
        sender().report(change("t1", 3, TaskStatus.STOPPED));
        sender().report(change("t2", 1, TaskStatus.RUNNING));
        sender().close();
        sender = null;
        StateChangeOutbox reopened = outbox();

        // When: the agent has read back t1 at version 3 and t2 at an older one
        reopened.dropReported(List.of(change("t1", 3, TaskStatus.STOPPED), change("t2", 0, TaskStatus.PENDING)));

        // Then
        assertThat(reopened.pending()).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t2@1");
        assertThat(outbox().pending()).extracting(TaskStateChange::taskId).containsExactly("t2");
    }

    @Test
    void aBufferedChangeOfATaskTombstonedWhileTheAgentWasDownIsDroppedBeforeTheSenderStarts() {
        // Given: changes of t1 and t2 buffered when the agent stopped, and the scheduler
        // tombstoned t1 on berth.task-events meanwhile
        kafkaDown = true;
        sender().report(change("t1", 3, TaskStatus.STOPPED));
        sender().report(change("t2", 1, TaskStatus.RUNNING));
        sender().close();
        sender = null;
        LastReports reports = new LastReports("i-1", null, new RecordCodec(), null);
        reports.apply(Topic.TASK_EVENTS, "t1", change("t1", 2, TaskStatus.RUNNING));
        reports.remove(Topic.TASK_EVENTS, "t1");
        reports.apply(Topic.TASK_EVENTS, "t2", change("t2", 0, TaskStatus.PENDING));

        // When: the next start reads them back
        StateChangeOutbox reopened = outbox();
        reopened.dropReported(reports.tasks());
        reopened.dropForgotten(reports.forgotten());

        // Then: t1 comes back on the topic neither now nor after another restart
        assertThat(reopened.pending()).extracting(TaskStateChange::taskId).containsExactly("t2");
        assertThat(outbox().pending()).extracting(TaskStateChange::taskId).containsExactly("t2");
    }

    @Test
    void aForgottenTasksChangeIsDroppedUnsent() {
        // Given
        kafkaDown = true;
        sender().report(change("t1", 3, TaskStatus.STOPPING));

        // When: the scheduler tombstoned the task
        sender().forget("t1");

        // Then
        assertThat(sender().pendingCount()).isZero();
        assertThat(outbox().pending()).isEmpty();
    }

    @Test
    void aTemporaryFileThatARunKilledWhileWritingLeftIsDeletedAndTakesNoPlace() throws Exception {
        // Given: a change on disk, and the temporary file of a write that a kill -9 cut short
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        sender().close();
        sender = null;
        Path cutShort = Files.createTempFile(dir, "state-change", ".tmp");
        Files.writeString(cutShort, "{\"schemaVersion\":1,\"taskId\":\"t");

        // When
        StateChangeOutbox reopened = outbox();

        // Then
        assertThat(reopened.pending()).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@1");
        try (var left = Files.list(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("t1.json");
        }
    }

    @Test
    void aLeftoverThatCannotBeDeletedCostsNoBufferedChange() throws Exception {
        // Given: a change on disk, and a leftover temporary file that cannot be deleted
        kafkaDown = true;
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        sender().close();
        sender = null;
        Files.createDirectories(dir.resolve(".t2.json.tmp").resolve("full"));

        // When
        StateChangeOutbox reopened = outbox();

        // Then
        assertThat(reopened.pending()).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@1");
    }

    @Test
    void flushWaitsForPendingChangesWithinItsBound() {
        // Given
        sender().start();
        sender().report(change("t1", 1, TaskStatus.RUNNING));

        // When
        boolean flushed = sender().flush(Duration.ofSeconds(5));

        // Then
        assertThat(flushed).isTrue();
        assertThat(acknowledged).hasSize(1);
    }

    @Test
    void aFlushRightAfterKafkaReturnsDoesNotWaitForTheSendersBackoff() {
        // Given: the sender failed while Kafka was down, and backs off for a long time
        backoff = Duration.ofSeconds(60);
        kafkaDown = true;
        sender().start();
        sender().report(change("t1", 1, TaskStatus.STOPPED));
        await().atMost(Duration.ofSeconds(10)).until(() -> !attempts.isEmpty());

        // When: Kafka is back and the agent stops
        kafkaDown = false;
        boolean flushed = sender().flush(Duration.ofSeconds(5));

        // Then
        assertThat(flushed).isTrue();
        assertThat(acknowledged).extracting(c -> c.taskId() + "@" + c.version()).containsExactly("t1@1");
    }

    @Test
    void aNewChangeCutsTheSendersBackoffShort() {
        // Given: the sender failed while Kafka was down, and backs off for a long time
        backoff = Duration.ofSeconds(60);
        kafkaDown = true;
        sender().start();
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        await().atMost(Duration.ofSeconds(10)).until(() -> !attempts.isEmpty());

        // When: Kafka is back and a task reports
        kafkaDown = false;
        sender().report(change("t2", 1, TaskStatus.RUNNING));

        // Then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(acknowledged)
                .extracting(c -> c.taskId() + "@" + c.version()).containsExactlyInAnyOrder("t1@1", "t2@1"));
    }

    @Test
    void aChangeKafkaRefusesForGoodIsDroppedAndTheOthersFlow() {
        // Given: t1's change is over the broker's size limit
        tooLarge.add("t1");
        sender().start();

        // When
        sender().report(change("t1", 1, TaskStatus.RUNNING));
        sender().report(change("t2", 1, TaskStatus.RUNNING));

        // Then: it is tried once, not for ever, and t2 gets through
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sender().pendingCount()).isZero());
        assertThat(acknowledged).extracting(TaskStateChange::taskId).containsExactly("t2");
        assertThat(attempts).filteredOn("t1"::equals).hasSize(1);
        assertThat(outbox().pending()).as("nothing of it is left for a restart to send").isEmpty();
    }

    @Test
    void flushGivesUpAfterItsBoundWhenKafkaNeverAnswers() {
        // Given: the sender is not running, as when Kafka was never reached
        sender().report(change("t1", 1, TaskStatus.RUNNING));

        // When
        boolean flushed = sender().flush(Duration.ofMillis(50));

        // Then
        assertThat(flushed).isFalse();
        assertThat(sender().pendingCount()).isEqualTo(1);
    }
}
