package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/**
 * DeleteCluster: the cluster answers INACTIVE; refused while it has container instances
 * (ClusterContainsContainerInstancesException) or tasks not yet STOPPED
 * (ClusterContainsTasksException), as in ECS.
 */
@Singleton
public class DeleteClusterAction extends SchedulerAction<DeleteClusterAction.Request> {

    public record Request(String cluster) {
    }

    public record Response(EcsCluster cluster) {
    }

    public DeleteClusterAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        return new Response(shapes.cluster(plane.clusters().delete(request.cluster())));
    }
}
