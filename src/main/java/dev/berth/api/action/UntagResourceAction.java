package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/** UntagResource: removes the tags of the given keys from a resource. */
@Singleton
public class UntagResourceAction extends SchedulerAction<UntagResourceAction.Request> {

    public record Request(String resourceArn, List<String> tagKeys) {
    }

    public UntagResourceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        plane.tags().untag(r.resourceArn(), r.tagKeys());
        return Map.of();
    }
}
