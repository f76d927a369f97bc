package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.Attributes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** DeleteAttributes: removes custom attributes from container instances. */
@Singleton
public class DeleteAttributesAction extends SchedulerAction<DeleteAttributesAction.Request> {

    public record Request(String cluster, List<Attributes.Attribute> attributes) {
    }

    public record Response(List<Attributes.Attribute> attributes) {
    }

    public DeleteAttributesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(plane.attributes().delete(r.cluster(), r.attributes()));
    }
}
