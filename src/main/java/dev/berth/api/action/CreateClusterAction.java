package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** CreateCluster: idempotent, as in ECS. */
@Singleton
public class CreateClusterAction extends SchedulerAction<CreateClusterAction.Request> {

    public record Request(String clusterName) {
    }

    public record Response(EcsCluster cluster) {
    }

    public CreateClusterAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        return new Response(shapes.cluster(plane.clusters().create(request.clusterName())));
    }
}
