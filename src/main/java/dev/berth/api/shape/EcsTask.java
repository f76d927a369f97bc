package dev.berth.api.shape;

import dev.berth.model.TaskOverride;
import java.time.Instant;
import dev.berth.model.Tag;
import java.util.List;

/** ECS {@code Task}. Task-level cpu and memory are strings, as in ECS. */
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
        TaskOverride overrides,
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
        List<Tag> tags) {
}
