package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.Attributes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListAttributes: the agent's and the custom attributes of a cluster's container instances, by name and value. */
@Singleton
public class ListAttributesAction extends SchedulerAction<ListAttributesAction.Request> {

    public record Request(String cluster, String targetType, String attributeName, String attributeValue,
            String nextToken, Integer maxResults) {
    }

    public record Response(List<Attributes.Attribute> attributes, String nextToken) {
    }

    public ListAttributesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        List<Attributes.Attribute> all = plane.attributes().list(r.cluster(), r.targetType(), r.attributeName(),
                r.attributeValue());
        Paging<Attributes.Attribute> page = Paging.of("ListAttributes", all, a -> a.targetId() + "/" + a.name(), false,
                r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
