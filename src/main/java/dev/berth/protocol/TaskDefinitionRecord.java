package dev.berth.protocol;

import dev.berth.model.TaskDefinition;

/**
 * {@code berth.task-definitions}, key {@code family:revision}, written by the scheduler: a
 * registered task definition and its status (ACTIVE or INACTIVE).
 */
public record TaskDefinitionRecord(int schemaVersion, long version, TaskDefinition taskDefinition)
        implements BerthRecord {
}
