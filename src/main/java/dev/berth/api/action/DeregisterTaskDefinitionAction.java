package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTaskDefinitions;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** DeregisterTaskDefinition: the revision becomes INACTIVE; running tasks are untouched. */
@Singleton
public class DeregisterTaskDefinitionAction extends SchedulerAction<DeregisterTaskDefinitionAction.Request> {

    public record Request(String taskDefinition) {
    }

    public record Response(TaskDefinition taskDefinition) {
    }

    public DeregisterTaskDefinitionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        return new Response(EcsTaskDefinitions.answered(plane.taskDefinitions().deregister(request.taskDefinition())));
    }
}
