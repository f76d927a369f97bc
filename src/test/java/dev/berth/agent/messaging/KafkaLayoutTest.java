package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orphan sweep's gate: the Kafka layout recorded on the first start, compared on each start. */
class KafkaLayoutTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("kafka-layout.properties");
    }

    @Test
    void theFirstStartRecordsTheLayoutAndSweeps() {
        // Given / When
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6));

        // Then
        assertThat(layout.refusal()).isEmpty();
        assertThat(file()).content().contains("cluster-a").contains("6");
    }

    @Test
    void anotherClusterIdRefusesTheSweepAndKeepsTheRecordedLayout() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6));

        // When: an empty, new Kafka
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-b", 6));
        KafkaLayout nextStart = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-b", 6));

        // Then
        assertThat(layout.refusal()).get().asString().contains("cluster-b").contains("cluster-a")
                .contains(file().toString());
        assertThat(nextStart.refusal()).as("a second restart does not accept it either").isPresent();
    }

    @Test
    void anotherPartitionCountRefusesTheSweep() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6));

        // When
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 12));

        // Then
        assertThat(layout.refusal()).get().asString().contains("12 partitions").contains("6 partitions");
    }

    @Test
    void aPartitionCountThatChangesWhileTheAgentRunsRefusesTheSweep() {
        // Given
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6));

        // When: the tasks reader reconnects and finds another count
        layout.readingTasksWith(8);

        // Then
        assertThat(layout.refusal()).get().asString().contains("8 partitions");
    }
}
