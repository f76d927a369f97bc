package dev.berth.protocol;

import dev.berth.model.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code berth.instance-control}, key instance id, written by the scheduler: what the control
 * plane decided about a container instance. {@code DEREGISTERED} (DeregisterContainerInstance)
 * is final: the scheduler ignores the instance's registrations from then on, and an agent that
 * wants to serve again registers under a new instance id, as on ECS. {@code DRAINING} and
 * {@code ACTIVE} (UpdateContainerInstancesState) can follow each other any number of times.
 * {@code attributes} are the custom attributes PutAttributes gave the instance (its agent's
 * own are in its registration); each change re-sends the record with a higher version.
 * {@code tags} (TagResource's) came later: a record without them decodes with none, and every
 * change carries them on.
 *
 * <p>{@code agentDisconnectedAt} is the leader's decision that the instance's agent stopped
 * heartbeating: when, by the leader's clock, it counted the agent silent past the heartbeat
 * timeout; null while it counts it connected (and in records from before the field). The
 * agent cannot say that it went silent, so the leader records it here, and once heartbeats
 * come again records the field cleared: "ECS Container Instance State Change" events with
 * {@code agentConnected} are derived from these records, never from a clock. Every other
 * change carries the field on ({@link #next}).
 */
public record InstanceControl(
        int schemaVersion,
        long version,
        String instanceId,
        String cluster,
        String status,
        Instant changedAt,
        Map<String, String> attributes,
        List<Tag> tags,
        Instant agentDisconnectedAt) implements BerthRecord {

    public InstanceControl {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        tags = Tag.listOf(tags);
    }

    public InstanceControl(int schemaVersion, long version, String instanceId, String cluster, String status,
            Instant changedAt) {
        this(schemaVersion, version, instanceId, cluster, status, changedAt, Map.of(), List.of(), null);
    }

    public InstanceControl(int schemaVersion, long version, String instanceId, String cluster, String status,
            Instant changedAt, Map<String, String> attributes) {
        this(schemaVersion, version, instanceId, cluster, status, changedAt, attributes, List.of(), null);
    }

    /** What an instance that has no control record yet stands for: ACTIVE, nothing decided, version 0. */
    public static InstanceControl none(String instanceId, String cluster) {
        return new InstanceControl(SCHEMA_VERSION, 0, instanceId, cluster, ACTIVE, null, Map.of(), List.of(), null);
    }

    /** The next record of the instance: one version up, with these changes, the agent's connection carried on. */
    public InstanceControl next(String newStatus, Instant at, Map<String, String> newAttributes, List<Tag> newTags) {
        return new InstanceControl(SCHEMA_VERSION, version + 1, instanceId, cluster, newStatus, at, newAttributes,
                newTags, agentDisconnectedAt);
    }

    /** The next record, saying that the agent is connected ({@code disconnectedAt} null) or since when it is not. */
    public InstanceControl withAgentDisconnectedAt(Instant disconnectedAt, Instant at) {
        return new InstanceControl(SCHEMA_VERSION, version + 1, instanceId, cluster, status, at, attributes, tags,
                disconnectedAt);
    }

    /** Whether the leader last recorded the agent as connected. */
    public boolean agentConnected() {
        return agentDisconnectedAt == null;
    }

    public static final String DEREGISTERED = "DEREGISTERED";
    /** UpdateContainerInstancesState: no new task is placed there, and services move theirs away. */
    public static final String DRAINING = "DRAINING";
    public static final String ACTIVE = "ACTIVE";
}
