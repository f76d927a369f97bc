package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTaskDefinitions;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.TaskDefinitions;
import jakarta.inject.Singleton;
import java.util.List;

/** DeleteTaskDefinitions: INACTIVE revisions become DELETE_IN_PROGRESS; ACTIVE ones are failures. */
@Singleton
public class DeleteTaskDefinitionsAction extends SchedulerAction<DeleteTaskDefinitionsAction.Request> {

    public record Request(List<String> taskDefinitions) {
    }

    public record Response(List<TaskDefinition> taskDefinitions, List<Failure> failures) {
    }

    public DeleteTaskDefinitionsAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        TaskDefinitions.Deletion deletion = plane.taskDefinitions().delete(r.taskDefinitions());
        return new Response(deletion.taskDefinitions().stream().map(EcsTaskDefinitions::answered).toList(),
                deletion.failures());
    }
}
