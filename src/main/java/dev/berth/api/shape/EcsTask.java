package dev.berth.api.shape;

import dev.berth.model.ContainerOverride;
import dev.berth.model.KeyValuePair;
import dev.berth.model.Tag;
import java.time.Instant;
import java.util.List;

/**
 * ECS {@code Task}. Task-level cpu and memory are strings, as in ECS. {@code attributes} hold the
 * instance's {@code ecs.cpu-architecture}, and {@code connectivity} is CONNECTED from the start,
 * as ECS answers for a task without a network interface of its own.
 */
public record EcsTask(
        String taskArn,
        String clusterArn,
        String taskDefinitionArn,
        String containerInstanceArn,
        String lastStatus,
        String desiredStatus,
        List<EcsContainer> containers,
        String cpu,
        String memory,
        Overrides overrides,
        Instant createdAt,
        Instant pullStartedAt,
        Instant pullStoppedAt,
        Instant startedAt,
        Instant stoppingAt,
        Instant stoppedAt,
        String stopCode,
        String stoppedReason,
        String startedBy,
        String group,
        String launchType,
        String healthStatus,
        long version,
        List<Object> attachments,
        List<KeyValuePair> attributes,
        String connectivity,
        Instant connectivityAt,
        boolean enableExecuteCommand,
        List<Tag> tags) {

    /** ECS's {@code TaskOverride} as answered: with its empty {@code inferenceAcceleratorOverrides}. */
    public record Overrides(List<ContainerOverride> containerOverrides, String cpu, String memory,
            List<Object> inferenceAcceleratorOverrides) {
    }
}
