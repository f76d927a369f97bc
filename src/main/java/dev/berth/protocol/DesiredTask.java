package dev.berth.protocol;

import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * {@code berth.tasks}, key task id, partition chosen from the instance id
 * ({@link Partitioning#forInstance}), written by the scheduler: a task placed on an
 * instance, with a full snapshot of its task definition so the agent needs nothing else.
 * {@code desiredStatus} is RUNNING or STOPPED; StopTask re-sends the record with STOPPED,
 * its stopCode and reason, and a higher version. {@code tags} (RunTask's, StartTask's and
 * TagResource's) came later: a record without them decodes with none. So did
 * {@code protectedUntil}: the end of the scale-in protection that UpdateTaskProtection set on
 * a service's task (null: not protected); the agent does not read it. And {@code launchType}:
 * EC2 or EXTERNAL, as RunTask or the service asked (null, in older records too, is EC2, ECS's
 * default); the agent does not read it either. And {@code lostAt}: when the scheduler stopped
 * the task in its agent's stead (its instance lost or deregistered by force), which the API
 * shows as the task's {@code stoppedAt} until the agent reports its own (null otherwise).
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
        String stoppedReason,
        List<Tag> tags,
        Instant protectedUntil,
        String launchType,
        Instant lostAt) implements BerthRecord {

    /** ECS's launch type when none was asked for. */
    public static final String DEFAULT_LAUNCH_TYPE = "EC2";

    public DesiredTask {
        tags = Tag.listOf(tags);
    }

    public DesiredTask(int schemaVersion, long version, String taskId, String taskArn, String cluster,
            String instanceId, TaskDefinition taskDefinition, TaskOverride overrides, TaskStatus desiredStatus,
            String startedBy, String group, Instant createdAt, String stopCode, String stoppedReason, List<Tag> tags,
            Instant protectedUntil) {
        this(schemaVersion, version, taskId, taskArn, cluster, instanceId, taskDefinition, overrides, desiredStatus,
                startedBy, group, createdAt, stopCode, stoppedReason, tags, protectedUntil, null);
    }

    public DesiredTask(int schemaVersion, long version, String taskId, String taskArn, String cluster,
            String instanceId, TaskDefinition taskDefinition, TaskOverride overrides, TaskStatus desiredStatus,
            String startedBy, String group, Instant createdAt, String stopCode, String stoppedReason, List<Tag> tags,
            Instant protectedUntil, String launchType) {
        this(schemaVersion, version, taskId, taskArn, cluster, instanceId, taskDefinition, overrides, desiredStatus,
                startedBy, group, createdAt, stopCode, stoppedReason, tags, protectedUntil, launchType, null);
    }

    /** EC2 or EXTERNAL: what the task was started as. */
    public String launchTypeOrDefault() {
        return launchType == null ? DEFAULT_LAUNCH_TYPE : launchType;
    }

    /** The same task, started as {@code type} (EC2 or EXTERNAL; null for ECS's default). */
    public DesiredTask withLaunchType(String type) {
        return new DesiredTask(schemaVersion, version, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, desiredStatus, startedBy, group, createdAt, stopCode, stoppedReason, tags, protectedUntil,
                type, lostAt);
    }

    public DesiredTask(int schemaVersion, long version, String taskId, String taskArn, String cluster,
            String instanceId, TaskDefinition taskDefinition, TaskOverride overrides, TaskStatus desiredStatus,
            String startedBy, String group, Instant createdAt, String stopCode, String stoppedReason, List<Tag> tags) {
        this(schemaVersion, version, taskId, taskArn, cluster, instanceId, taskDefinition, overrides, desiredStatus,
                startedBy, group, createdAt, stopCode, stoppedReason, tags, null);
    }

    public DesiredTask(int schemaVersion, long version, String taskId, String taskArn, String cluster,
            String instanceId, TaskDefinition taskDefinition, TaskOverride overrides, TaskStatus desiredStatus,
            String startedBy, String group, Instant createdAt, String stopCode, String stoppedReason) {
        this(schemaVersion, version, taskId, taskArn, cluster, instanceId, taskDefinition, overrides, desiredStatus,
                startedBy, group, createdAt, stopCode, stoppedReason, List.of());
    }

    public DesiredTask stop(long newVersion, String code, String reason) {
        return new DesiredTask(SCHEMA_VERSION, newVersion, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, TaskStatus.STOPPED, startedBy, group, createdAt, code, reason, tags, protectedUntil,
                launchType, lostAt);
    }

    /**
     * The same task at a later version, stopped at {@code at} by the scheduler in its agent's
     * stead, with {@code code} (the lost stop code) and {@code reason}.
     */
    public DesiredTask lost(long newVersion, String code, String reason, Instant at) {
        return new DesiredTask(SCHEMA_VERSION, newVersion, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, TaskStatus.STOPPED, startedBy, group, createdAt, code, reason, tags, protectedUntil,
                launchType, at);
    }

    /** The same task at a later version with other tags. */
    public DesiredTask withTags(long newVersion, List<Tag> newTags) {
        return new DesiredTask(SCHEMA_VERSION, newVersion, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, desiredStatus, startedBy, group, createdAt, stopCode, stoppedReason, newTags,
                protectedUntil, launchType, lostAt);
    }

    /** The same task at a later version, protected from scale-in until {@code until} (null: not protected). */
    public DesiredTask withProtection(long newVersion, Instant until) {
        return new DesiredTask(SCHEMA_VERSION, newVersion, taskId, taskArn, cluster, instanceId, taskDefinition,
                overrides, desiredStatus, startedBy, group, createdAt, stopCode, stoppedReason, tags, until,
                launchType, lostAt);
    }

    /** Whether a service may not stop this task at {@code now} to scale in or to finish a deployment. */
    public boolean isProtectedAt(Instant now) {
        return protectedUntil != null && now.isBefore(protectedUntil);
    }
}
