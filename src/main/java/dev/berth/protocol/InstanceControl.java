package dev.berth.protocol;

import java.time.Instant;

/**
 * {@code berth.instance-control}, key instance id, written by the scheduler: what the control
 * plane decided about a container instance. {@code DEREGISTERED} (DeregisterContainerInstance)
 * is final: the scheduler ignores the instance's registrations from then on, and an agent that
 * wants to serve again registers under a new instance id, as on ECS. {@code DRAINING} and
 * {@code ACTIVE} (UpdateContainerInstancesState) can follow each other any number of times.
 */
public record InstanceControl(
        int schemaVersion,
        long version,
        String instanceId,
        String cluster,
        String status,
        Instant changedAt) implements BerthRecord {

    public static final String DEREGISTERED = "DEREGISTERED";
    /** UpdateContainerInstancesState: no new task is placed there, and services move theirs away. */
    public static final String DRAINING = "DRAINING";
    public static final String ACTIVE = "ACTIVE";
}
