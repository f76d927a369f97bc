package dev.berth.api.action;

import dev.berth.api.shape.EcsContainerInstance;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/**
 * DeregisterContainerInstance: the instance leaves its cluster, and answers INACTIVE. With
 * {@code force} its tasks are stopped with it; without, a task not yet STOPPED refuses the call.
 */
@Singleton
public class DeregisterContainerInstanceAction extends SchedulerAction<DeregisterContainerInstanceAction.Request> {

    public record Request(String cluster, String containerInstance, Boolean force) {
    }

    public record Response(EcsContainerInstance containerInstance) {
    }

    public DeregisterContainerInstanceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(shapes.containerInstance(plane.containerInstances()
                .deregister(r.cluster(), r.containerInstance(), Boolean.TRUE.equals(r.force())), "INACTIVE"));
    }
}
