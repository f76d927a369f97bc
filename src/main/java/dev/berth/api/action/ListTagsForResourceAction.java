package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Tag;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListTagsForResource: a resource's tags. */
@Singleton
public class ListTagsForResourceAction extends SchedulerAction<ListTagsForResourceAction.Request> {

    public record Request(String resourceArn) {
    }

    public record Response(List<Tag> tags) {
    }

    public ListTagsForResourceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(plane.tags().list(r.resourceArn()));
    }
}
