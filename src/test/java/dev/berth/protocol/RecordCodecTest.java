package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private final RecordCodec codec = new RecordCodec();

    @Test
    void aRecordSurvivesTheRoundTripWithItsTypeAndVersions() {
        // Given
        TaskStateChange change = new TaskStateChange(BerthRecord.SCHEMA_VERSION, 7, "t1", "default", "i1",
                TaskStatus.STOPPED,
                List.of(new ContainerState("web", "abc", "busybox", ContainerStatus.STOPPED, 3, null, List.of())),
                "EssentialContainerExited", "Essential container in task exited", null, null,
                Instant.ofEpochSecond(100, 500_000_000), null, Instant.ofEpochSecond(200), Instant.ofEpochSecond(201));

        // When
        byte[] bytes = codec.encode(change);
        RecordCodec.Decoded decoded = codec.decode(bytes);

        // Then
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\":\"TaskStateChange\"", "\"schemaVersion\":1", "\"version\":7",
                "\"startedAt\":100.5");
        assertThat(json).doesNotContain("null");
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(change));
    }

    @Test
    void anUnknownTypeIsSkippedNotDeadLettered() {
        // When
        RecordCodec.Decoded decoded = codec.decode(
                "{\"type\":\"SomethingFromTheFuture\",\"schemaVersion\":9,\"version\":1}".getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(decoded).isInstanceOf(RecordCodec.Decoded.Unknown.class);
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        // When
        RecordCodec.Decoded decoded = codec.decode(("{\"type\":\"Cluster\",\"schemaVersion\":2,\"version\":3,"
                + "\"clusterName\":\"prod\",\"status\":\"ACTIVE\",\"somethingNew\":{\"a\":1}}").getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(new ClusterRecord(2, 3, "prod", "ACTIVE", null)));
    }

    @Test
    void garbageAndMissingSchemaVersionsArePoisonWithAReason() {
        // When
        RecordCodec.Decoded garbage = codec.decode("not json".getBytes(StandardCharsets.UTF_8));
        RecordCodec.Decoded noType = codec.decode("{\"version\":1}".getBytes(StandardCharsets.UTF_8));
        RecordCodec.Decoded noSchema = codec.decode("{\"type\":\"Cluster\",\"version\":1}".getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(garbage).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(((RecordCodec.Decoded.Poison) garbage).reason()).startsWith("undecodable record");
        assertThat(noType).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(noSchema).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(((RecordCodec.Decoded.Poison) noSchema).reason()).contains("schemaVersion");
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(codec.decode(null)).isInstanceOf(RecordCodec.Decoded.Tombstone.class);
    }
}
