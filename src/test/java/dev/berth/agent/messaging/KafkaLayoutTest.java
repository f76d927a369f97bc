package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6, "topic-x"));

        // Then
        assertThat(layout.refusal()).isEmpty();
        assertThat(file()).content().contains("cluster-a").contains("6");
    }

    @Test
    void anotherClusterIdRefusesTheSweepAndKeepsTheRecordedLayout() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6, "topic-x"));

        // When: an empty, new Kafka
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-b", 6, "topic-x"));
        KafkaLayout nextStart = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-b", 6, "topic-x"));

        // Then
        assertThat(layout.refusal()).get().asString().contains("cluster-b").contains("cluster-a")
                .contains(file().toString());
        assertThat(nextStart.refusal()).as("a second restart does not accept it either").isPresent();
    }

    @Test
    void anotherPartitionCountRefusesTheSweep() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6, "topic-x"));

        // When
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 12, "topic-x"));

        // Then
        assertThat(layout.refusal()).get().asString().contains("12 partitions").contains("6 partitions");
    }

    @Test
    void aPartitionCountThatChangesWhileTheAgentRunsRefusesTheSweep() {
        // Given
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("cluster-a", 6, "topic-x"));

        // When: the tasks reader reconnects and finds another count
        layout.readingTasksWith(8);

        // Then
        assertThat(layout.refusal()).get().asString().contains("8 partitions");
    }

    @Test
    void berthTasksMadeAgainWithTheSamePartitionCountRefusesTheSweep() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-x"));

        // When: berth.tasks deleted and created again, empty, on the same cluster
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-y"));

        // Then
        assertThat(layout.refusal()).get().asString().contains("topic-y").contains("topic-x")
                .contains(file().toString());
    }

    @Test
    void theSameTopicIdAccepts() {
        // Given
        KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-x"));

        // When
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-x"));

        // Then
        assertThat(layout.refusal()).isEmpty();
    }

    @Test
    void aRecordFromBeforeTopicIdsAcceptsAndRecordsTheId() throws Exception {
        // Given: a file an older agent wrote, with the cluster id and the partition count only
        Files.writeString(file(), "kafka.cluster.id=c1\nberth.tasks.partitions=6\n");

        // When
        KafkaLayout layout = KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-x"));
        KafkaLayout nextStart = KafkaLayout.compare(file(), new KafkaLayout.Seen("c1", 6, "topic-y"));

        // Then
        assertThat(layout.refusal()).isEmpty();
        assertThat(file()).content().contains("topic-x");
        assertThat(nextStart.refusal()).as("the recorded id is compared from then on").isPresent();
    }
}
