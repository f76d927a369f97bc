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
 */
public record InstanceControl(
        int schemaVersion,
        long version,
        String instanceId,
        String cluster,
        String status,
        Instant changedAt,
        Map<String, String> attributes,
        List<Tag> tags) implements BerthRecord {

    public InstanceControl {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        tags = Tag.listOf(tags);
    }

    public InstanceControl(int schemaVersion, long version, String instanceId, String cluster, String status,
            Instant changedAt) {
        this(schemaVersion, version, instanceId, cluster, status, changedAt, Map.of(), List.of());
    }

    public InstanceControl(int schemaVersion, long version, String instanceId, String cluster, String status,
            Instant changedAt, Map<String, String> attributes) {
        this(schemaVersion, version, instanceId, cluster, status, changedAt, attributes, List.of());
    }

    public static final String DEREGISTERED = "DEREGISTERED";
    /** UpdateContainerInstancesState: no new task is placed there, and services move theirs away. */
    public static final String DRAINING = "DRAINING";
    public static final String ACTIVE = "ACTIVE";
}
