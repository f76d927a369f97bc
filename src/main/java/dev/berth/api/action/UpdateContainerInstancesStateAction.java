package dev.berth.api.action;

import dev.berth.api.shape.EcsContainerInstance;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ContainerInstances;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * UpdateContainerInstancesState: DRAINING (no new tasks; services move theirs away within
 * their deployment bounds, daemon tasks last) or ACTIVE again.
 */
@Singleton
public class UpdateContainerInstancesStateAction
        extends SchedulerAction<UpdateContainerInstancesStateAction.Request> {

    public record Request(String cluster, List<String> containerInstances, String status) {
    }

    public record Response(List<EcsContainerInstance> containerInstances, List<Failure> failures) {
    }

    public UpdateContainerInstancesStateAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        ContainerInstances.StateUpdate update = plane.containerInstances().updateState(r.cluster(),
                r.containerInstances(), r.status());
        return new Response(update.instances().stream()
                .map(i -> shapes.containerInstance(i, plane.state().instanceStatus(i.instanceId()))).toList(),
                update.failures());
    }
}
