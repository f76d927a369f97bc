package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** RegisterTaskDefinition: validated, then revision = last + 1 in the family. */
@Singleton
public class RegisterTaskDefinitionAction extends SchedulerAction<RegisterTaskDefinitionAction.Request> {

    public record Request(String family, List<ContainerDefinition> containerDefinitions, String cpu, String memory,
            String networkMode, List<String> requiresCompatibilities, List<PlacementConstraint> placementConstraints,
            String taskRoleArn, String executionRoleArn) {
    }

    public record Response(TaskDefinition taskDefinition, List<Object> tags) {
    }

    public RegisterTaskDefinitionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        TaskDefinition requested = new TaskDefinition(null, r.family(), null, r.containerDefinitions(), r.cpu(),
                r.memory(), r.networkMode(), null, r.requiresCompatibilities(), null, r.placementConstraints(),
                r.taskRoleArn(), r.executionRoleArn(), null, null);
        return new Response(plane.taskDefinitions().register(requested), List.of());
    }
}
