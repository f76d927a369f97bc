package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTaskDefinitions;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tags;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * DescribeTaskDefinition by family (latest ACTIVE), family:revision or ARN; the revision's tags
 * with {@code include=TAGS}, an empty list without.
 */
@Singleton
public class DescribeTaskDefinitionAction extends SchedulerAction<DescribeTaskDefinitionAction.Request> {

    public record Request(String taskDefinition, List<String> include) {
    }

    public record Response(TaskDefinition taskDefinition, List<Tag> tags) {
    }

    public DescribeTaskDefinitionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        if (request.include() != null && request.include().stream().anyMatch(i -> !"TAGS".equals(i))) {
            throw EcsException.invalidParameter("Invalid 'include': only TAGS can be included.");
        }
        TaskDefinition definition = plane.taskDefinitions().describe(request.taskDefinition());
        // The revision's tags only when asked for, else the empty list ECS's documented example shows
        List<Tag> tags = Tags.ifIncluded(request.include(), plane.tags().list(definition.taskDefinitionArn()));
        return new Response(EcsTaskDefinitions.answered(definition), tags == null ? List.of() : tags);
    }
}
