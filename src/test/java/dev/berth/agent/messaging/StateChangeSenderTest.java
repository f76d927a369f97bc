package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.TaskStateChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateChangeSenderTest {

    private final List<TaskStateChange> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final StateChangeSender sender = new StateChangeSender(this::send, Duration.ofSeconds(5),
            () -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(5)));

    private CompletableFuture<?> send(TaskStateChange change) {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker not available"));
        }
        acknowledged.add(change);
        return CompletableFuture.completedFuture(null);
    }

    @AfterEach
    void close() {
        sender.close();
    }

    private static TaskStateChange change(String taskId, long version, TaskStatus status) {
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, taskId, "default", "i-1", status, List.of(),
                null, null, null, null, null, null, null, null);
    }

    @Test
    void failedSendsAreRetriedUntilAcknowledgedAndOrderIsKept() {
        // Given: Kafka refuses the first three sends
        failuresLeft.set(3);
        sender.start();

        // When
        sender.report(change("t1", 1, TaskStatus.PENDING));
        sender.report(change("t1", 2, TaskStatus.RUNNING));
        sender.report(change("t2", 1, TaskStatus.PENDING));
        sender.report(change("t1", 3, TaskStatus.STOPPED));

        // Then
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(acknowledged)
                .extracting(c -> c.taskId() + "@" + c.version())
                .containsExactly("t1@1", "t1@2", "t2@1", "t1@3"));
        assertThat(sender.pendingCount()).isZero();
    }

    @Test
    void flushWaitsForPendingChangesWithinItsBound() {
        // Given
        sender.start();
        sender.report(change("t1", 1, TaskStatus.RUNNING));

        // When
        boolean flushed = sender.flush(Duration.ofSeconds(5));

        // Then
        assertThat(flushed).isTrue();
        assertThat(acknowledged).hasSize(1);
    }

    @Test
    void flushGivesUpAfterItsBoundWhenKafkaNeverAnswers() {
        // Given: the sender is not running, as when Kafka was never reached
        sender.report(change("t1", 1, TaskStatus.RUNNING));

        // When
        boolean flushed = sender.flush(Duration.ofMillis(50));

        // Then
        assertThat(flushed).isFalse();
        assertThat(sender.pendingCount()).isEqualTo(1);
    }
}
