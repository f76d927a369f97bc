package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** DescribeTaskDefinition by family (latest ACTIVE), family:revision or ARN. */
@Singleton
public class DescribeTaskDefinitionAction extends SchedulerAction<DescribeTaskDefinitionAction.Request> {

    public record Request(String taskDefinition) {
    }

    public record Response(TaskDefinition taskDefinition, List<Object> tags) {
    }

    public DescribeTaskDefinitionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        return new Response(plane.taskDefinitions().describe(request.taskDefinition()), List.of());
    }
}
