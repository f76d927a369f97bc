package dev.berth.api.action;

import dev.berth.api.shape.EcsService;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** DeleteService: DRAINING now, INACTIVE once its tasks have stopped; {@code force} for a service above 0. */
@Singleton
public class DeleteServiceAction extends SchedulerAction<DeleteServiceAction.Request> {

    public record Request(String cluster, String service, Boolean force) {
    }

    public record Response(EcsService service) {
    }

    public DeleteServiceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(shapes.service(plane.services().delete(r.cluster(), r.service(),
                Boolean.TRUE.equals(r.force()))));
    }
}
