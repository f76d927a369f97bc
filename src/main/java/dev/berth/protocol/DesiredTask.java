package dev.berth.protocol;

import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import java.time.Instant;

/**
 * {@code berth.tasks}, key task id, partition chosen from the instance id
 * ({@link Partitioning#forInstance}), written by the scheduler: a task placed on an
 * instance, with a full snapshot of its task definition so the agent needs nothing else.
 * {@code desiredStatus} is RUNNING or STOPPED; StopTask re-sends the record with STOPPED,
 * its stopCode and reason, and a higher version.
 */
public record DesiredTask(
        int schemaVersion,
        long version,
        String taskId,
        String taskArn,
        String cluster,
        String instanceId,
        TaskDefinition taskDefinition,
        TaskOverride overrides,
        TaskStatus desiredStatus,
        String startedBy,
        String group,
        Instant createdAt,
        String stopCode,
        String stoppedReason) implements BerthRecord {

    public DesiredTask stop(long newVersion, String code, String reason) {
        return new DesiredTask(SCHEMA_VERSION, newVersion, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, TaskStatus.STOPPED, startedBy, group, createdAt, code, reason);
    }
}
