package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WatermarksTest {

    private final TopicPartition p0 = new TopicPartition("berth.requests", 0);
    private final TopicPartition p1 = new TopicPartition("berth.requests", 1);

    @Test
    void aPositionNeverPassesARecordWhoseAnswerIsNotCommitted() {
        // Given: records 10, 11 and 12 of one partition handed over, 20 of another
        Watermarks watermarks = new Watermarks();
        watermarks.read(p0, 10);
        watermarks.read(p0, 11);
        watermarks.read(p0, 12);
        watermarks.read(p1, 20);

        // Then: 11 answered first commits no further than 10; 10 then commits up to 12, still open
        assertThat(watermarks.positionWith(p0, Set.of(11L))).isEqualTo(10);
        watermarks.answered(p0, Set.of(11L));
        assertThat(watermarks.positionWith(p0, Set.of(10L))).isEqualTo(12);
        watermarks.answered(p0, Set.of(10L));
        // And: the last one open commits past everything read
        assertThat(watermarks.positionWith(p0, Set.of(12L))).isEqualTo(13);
        assertThat(watermarks.positionWith(p1, Set.of(20L))).isEqualTo(21);
        // And: answers committed together count each other
        watermarks.read(p1, 21);
        watermarks.read(p1, 22);
        assertThat(watermarks.positionWith(p1, Set.of(21L, 22L))).isEqualTo(20);
        assertThat(watermarks.positionWith(p1, Set.of(20L, 21L, 22L))).isEqualTo(23);
    }

    @Test
    void theLastAnsweredCommitsPastRecordsReadAndAnsweredAbove() {
        // Given: 5 and 6 read; 6 answered before 5
        Watermarks watermarks = new Watermarks();
        watermarks.read(p0, 5);
        watermarks.read(p0, 6);
        watermarks.answered(p0, Set.of(6L));

        // Then: 5's answer commits past 6 too
        assertThat(watermarks.positionWith(p0, Set.of(5L))).isEqualTo(7);
        // And: after a new term nothing is held
        watermarks.clear();
        assertThat(watermarks.positionWith(p0, Set.of(5L))).isEqualTo(6);
    }
}
