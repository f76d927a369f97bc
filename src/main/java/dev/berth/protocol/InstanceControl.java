package dev.berth.protocol;

import java.time.Instant;

/**
 * {@code berth.instance-control}, key instance id, written by the scheduler: what the control
 * plane decided about a container instance. {@code DEREGISTERED} (DeregisterContainerInstance)
 * is final: the scheduler ignores the instance's registrations from then on, and an agent that
 * wants to serve again registers under a new instance id, as on ECS.
 */
public record InstanceControl(
        int schemaVersion,
        long version,
        String instanceId,
        String cluster,
        String status,
        Instant changedAt) implements BerthRecord {

    public static final String DEREGISTERED = "DEREGISTERED";
}
