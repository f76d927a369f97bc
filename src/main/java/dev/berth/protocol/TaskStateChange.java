package dev.berth.protocol;

import dev.berth.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code berth.task-events}, key task id, written by the agent: the task's status as the
 * host knows it, with every container, exit codes and reasons. Each change carries the whole
 * task, so the latest record alone is the truth (the topic is compacted).
 */
public record TaskStateChange(
        int schemaVersion,
        long version,
        String taskId,
        String cluster,
        String instanceId,
        TaskStatus lastStatus,
        List<ContainerState> containers,
        String stopCode,
        String stoppedReason,
        Instant pullStartedAt,
        Instant pullStoppedAt,
        Instant startedAt,
        Instant stoppingAt,
        Instant stoppedAt,
        Instant reportedAt) implements BerthRecord {
}
