package dev.berth.protocol;

import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import java.util.List;

/**
 * {@code berth.task-definitions}, key {@code family:revision}, written by the scheduler: a
 * registered task definition and its status (ACTIVE or INACTIVE).
 */
public record TaskDefinitionRecord(int schemaVersion, long version, TaskDefinition taskDefinition, List<Tag> tags)
        implements BerthRecord {

    /** {@code tags} came later: a record without them decodes with none. */
    public TaskDefinitionRecord {
        tags = Tag.listOf(tags);
    }

    public TaskDefinitionRecord(int schemaVersion, long version, TaskDefinition taskDefinition) {
        this(schemaVersion, version, taskDefinition, List.of());
    }

    /** The same revision at a later version with other tags. */
    public TaskDefinitionRecord withTags(long newVersion, List<Tag> newTags) {
        return new TaskDefinitionRecord(SCHEMA_VERSION, newVersion, taskDefinition, newTags);
    }
}
