package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Tag;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** TagResource: adds tags to a cluster, task definition, task, container instance or service (long ARN). */
@Singleton
public class TagResourceAction extends SchedulerAction<TagResourceAction.Request> {

    public record Request(String resourceArn, List<Tag> tags) {
    }

    public TagResourceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        plane.tags().tag(r.resourceArn(), r.tags());
        return Map.of();
    }
}
