package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(watermarks.positionAfter(p0, 11)).isEqualTo(10);
        watermarks.answered(p0, 11);
        assertThat(watermarks.positionAfter(p0, 10)).isEqualTo(12);
        watermarks.answered(p0, 10);
        // And: the last one open commits past everything read
        assertThat(watermarks.positionAfter(p0, 12)).isEqualTo(13);
        assertThat(watermarks.positionAfter(p1, 20)).isEqualTo(21);
    }

    @Test
    void theLastAnsweredCommitsPastRecordsReadAndAnsweredAbove() {
        // Given: 5 and 6 read; 6 answered before 5
        Watermarks watermarks = new Watermarks();
        watermarks.read(p0, 5);
        watermarks.read(p0, 6);
        watermarks.answered(p0, 6);

        // Then: 5's answer commits past 6 too
        assertThat(watermarks.positionAfter(p0, 5)).isEqualTo(7);
        // And: after a new term nothing is held
        watermarks.clear();
        assertThat(watermarks.positionAfter(p0, 5)).isEqualTo(6);
    }
}
