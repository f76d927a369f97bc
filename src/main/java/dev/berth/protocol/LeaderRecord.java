package dev.berth.protocol;

import java.time.Instant;

/**
 * {@code berth.scheduler-leader}, key {@link #KEY}, written by the scheduler that leads, in a
 * transaction of its fenced producer, once it has caught up after its election: who leads and
 * where its ECS API answers, so that the other replicas forward writes to it. {@code version}
 * counts the elections that completed.
 */
public record LeaderRecord(
        int schemaVersion,
        long version,
        String replicaId,
        String apiUrl,
        Instant electedAt) implements BerthRecord {

    /** The only key on the topic: there is one leader. */
    public static final String KEY = "leader";
}
