package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tags and cluster settings ride in the entities' own records, and records written before them still decode. */
class TaggedRecordsTest {

    private final RecordCodec codec = new RecordCodec();

    private RecordCodec.Decoded decode(String json) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aClusterRecordKeepsItsTagsAndSettingsThroughTheRoundTrip() {
        // Given
        ClusterRecord cluster = new ClusterRecord(BerthRecord.SCHEMA_VERSION, 4, "prod", "ACTIVE",
                Instant.ofEpochSecond(100), List.of(new Tag("team", "web"), new Tag("empty", "")),
                List.of(new ClusterRecord.Setting("containerInsights", "enabled")));

        // When
        byte[] bytes = codec.encode(cluster);

        // Then
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains(
                "\"tags\":[{\"key\":\"team\",\"value\":\"web\"},{\"key\":\"empty\",\"value\":\"\"}]",
                "\"settings\":[{\"name\":\"containerInsights\",\"value\":\"enabled\"}]");
        assertThat(codec.decode(bytes)).isEqualTo(new RecordCodec.Decoded.Record(cluster));
    }

    @Test
    void recordsWrittenBeforeTagsDecodeWithNone() {
        // When
        RecordCodec.Decoded cluster = decode("{\"type\":\"Cluster\",\"schemaVersion\":1,\"version\":3,"
                + "\"clusterName\":\"prod\",\"status\":\"ACTIVE\",\"createdAt\":100}");
        RecordCodec.Decoded control = decode("{\"type\":\"InstanceControl\",\"schemaVersion\":1,\"version\":2,"
                + "\"instanceId\":\"i-1\",\"cluster\":\"default\",\"status\":\"DRAINING\",\"changedAt\":100,"
                + "\"attributes\":{\"zone\":\"a\"}}");

        // Then
        assertThat(cluster).isEqualTo(new RecordCodec.Decoded.Record(new ClusterRecord(1, 3, "prod", "ACTIVE",
                Instant.ofEpochSecond(100), List.of(), List.of())));
        assertThat(control).isEqualTo(new RecordCodec.Decoded.Record(new InstanceControl(1, 2, "i-1", "default",
                "DRAINING", Instant.ofEpochSecond(100), Map.of("zone", "a"), List.of(), null)));
    }

    @Test
    void aServiceKeepsItsTagsWhenItsDeploymentsChange() {
        // Given
        ServiceRecord service = new ServiceRecord(BerthRecord.SCHEMA_VERSION, 1, "default", "api", "arn", "ACTIVE",
                ServiceRecord.REPLICA, 1, "web:1", null, null, null, null, null, Instant.ofEpochSecond(1), "hash",
                List.of(new Tag("tier", "front")));

        // When
        ServiceRecord changed = service.with(2, "ACTIVE", 3, "web:2", null, List.of(), List.of());

        // Then
        assertThat(changed.tags()).containsExactly(new Tag("tier", "front"));
        assertThat(codec.decode(codec.encode(changed))).isEqualTo(new RecordCodec.Decoded.Record(changed));
    }
}
