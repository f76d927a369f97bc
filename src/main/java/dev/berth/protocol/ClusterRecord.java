package dev.berth.protocol;

import dev.berth.model.Tag;
import java.time.Instant;
import java.util.List;

/**
 * {@code berth.clusters}, key cluster name, written by the scheduler. {@code tags} and
 * {@code settings} (ECS's ClusterSetting, {@code containerInsights}) came later: a record
 * without them decodes with none.
 */
public record ClusterRecord(
        int schemaVersion,
        long version,
        String clusterName,
        String status,
        Instant createdAt,
        List<Tag> tags,
        List<Setting> settings) implements BerthRecord {

    public ClusterRecord {
        tags = Tag.listOf(tags);
        settings = settings == null ? List.of() : List.copyOf(settings);
    }

    public ClusterRecord(int schemaVersion, long version, String clusterName, String status, Instant createdAt) {
        this(schemaVersion, version, clusterName, status, createdAt, List.of(), List.of());
    }

    /** ECS's {@code ClusterSetting}. */
    public record Setting(String name, String value) {
    }

    /** The same cluster at a later version with other tags. */
    public ClusterRecord withTags(long newVersion, List<Tag> newTags) {
        return new ClusterRecord(SCHEMA_VERSION, newVersion, clusterName, status, createdAt, newTags, settings);
    }

    /** The same cluster at a later version with other settings. */
    public ClusterRecord withSettings(long newVersion, List<Setting> newSettings) {
        return new ClusterRecord(SCHEMA_VERSION, newVersion, clusterName, status, createdAt, tags, newSettings);
    }

    /** The same cluster at a later version with another status. */
    public ClusterRecord withStatus(long newVersion, String newStatus) {
        return new ClusterRecord(SCHEMA_VERSION, newVersion, clusterName, newStatus, createdAt, tags, settings);
    }
}
