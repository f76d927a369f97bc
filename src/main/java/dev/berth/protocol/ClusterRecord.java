package dev.berth.protocol;

import java.time.Instant;

/** {@code berth.clusters}, key cluster name, written by the scheduler. */
public record ClusterRecord(
        int schemaVersion,
        long version,
        String clusterName,
        String status,
        Instant createdAt) implements BerthRecord {
}
