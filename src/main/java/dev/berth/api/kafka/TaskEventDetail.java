package dev.berth.api.kafka;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.berth.api.shape.EcsTask;

/**
 * The {@code detail} of an "ECS Task State Change" event: the task as DescribeTasks shows it,
 * without its tags, then when it changed. The events' mapper writes it straight from the
 * shape, with {@link WithoutTags} on {@link EcsTask}, so no JSON tree is built per event.
 */
public record TaskEventDetail(@JsonUnwrapped EcsTask task, String updatedAt) {

    /** How the events' mapper writes a task: ECS's task events carry no tags. */
    @JsonIgnoreProperties("tags")
    public abstract static class WithoutTags {
    }
}
