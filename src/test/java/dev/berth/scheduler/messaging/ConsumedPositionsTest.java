package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.scheduler.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumedPositionsTest {

    private static final String GROUP = "berth-scheduler-requests";
    private static final TopicPartition REQUESTS = new TopicPartition("berth.requests", 0);

    private final AtomicLong now = new AtomicLong();
    private final ConsumedPositions positions = new ConsumedPositions(Duration.ofSeconds(5), now::get);
    private final Watermarks read = new Watermarks();

    private StateChange.Consume answer(long offset) {
        return new StateChange.Consume(GROUP, REQUESTS.topic(), REQUESTS.partition(), offset + 1, read.of(REQUESTS));
    }

    private void readRecords(int count) {
        for (long offset = 0; offset < count; offset++) {
            read.read(REQUESTS, offset);
        }
    }

    private static Map<String, Map<TopicPartition, OffsetAndMetadata>> sending(long position) {
        return Map.of(GROUP, Map.of(REQUESTS, new OffsetAndMetadata(position)));
    }

    @Test
    void theFirstAnswerCarriesItsPositionAndTheNextWaitUntilTheInterval() {
        // Given: records 0 to 3 read
        readRecords(4);

        // When: the answers to records 0, then 1 and 2, commit within the interval
        ConsumedPositions.Sending first = positions.of(List.of(answer(0)));
        first.committed();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        ConsumedPositions.Sending second = positions.of(List.of(answer(1), answer(2)));
        second.committed();

        // Then: only the first carried a position; the second's waits, and rides alone once due
        assertThat(first.offsets()).isEqualTo(sending(1));
        assertThat(second.offsets()).isEmpty();
        assertThat(positions.waitingIfDue()).isNull();
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        ConsumedPositions.Sending alone = positions.waitingIfDue();
        assertThat(alone.offsets()).isEqualTo(sending(3));
        alone.committed();
        assertThat(positions.waitingIfDue()).isNull();
    }

    @Test
    void aDueAnswerCarriesTheWaitingPositionsWithItsOwn() {
        // Given: the position after record 0 rode; record 1's waits
        readRecords(4);
        positions.of(List.of(answer(0))).committed();
        positions.of(List.of(answer(1))).committed();

        // When: record 3's answer commits after the interval, record 2 still unanswered
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        ConsumedPositions.Sending due = positions.of(List.of(answer(3)));

        // Then: it carries the watermark, which stops at the unanswered record 2
        assertThat(due.offsets()).isEqualTo(sending(2));
    }

    @Test
    void aTransactionThatDidNotCommitLeavesNoPositionWaiting() {
        // Given: records 0 to 2 read, the position after record 0 sent
        readRecords(3);
        positions.of(List.of(answer(0))).committed();

        // When: a transaction answering records 1 and 2 is built but never commits
        positions.of(List.of(answer(1), answer(2)));
        now.addAndGet(Duration.ofSeconds(10).toNanos());

        // Then: nothing waits to be sent: those records' answers may not exist
        assertThat(positions.waitingIfDue()).isNull();
    }

    @Test
    void aPlainConsumeRidesInItsOwnTransactionAlways() {
        // Given: a position sent a moment ago
        readRecords(1);
        positions.of(List.of(answer(0))).committed();

        // When: a plan consumes a record of another group, plainly
        ConsumedPositions.Sending events = positions.of(List.of(
                new StateChange.Consume("berth-scheduler-events", "berth.task-events", 1, 42)));

        // Then
        assertThat(events.offsets()).isEqualTo(Map.of("berth-scheduler-events",
                Map.of(new TopicPartition("berth.task-events", 1), new OffsetAndMetadata(42))));
    }
}
