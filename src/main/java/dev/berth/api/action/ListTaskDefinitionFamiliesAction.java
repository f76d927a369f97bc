package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListTaskDefinitionFamilies: family names by prefix, ACTIVE and INACTIVE families unless told otherwise. */
@Singleton
public class ListTaskDefinitionFamiliesAction extends SchedulerAction<ListTaskDefinitionFamiliesAction.Request> {

    public record Request(String familyPrefix, String status, Integer maxResults, String nextToken) {
    }

    public record Response(List<String> families, String nextToken) {
    }

    public ListTaskDefinitionFamiliesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        Paging<String> page = Paging.of("ListTaskDefinitionFamilies",
                plane.taskDefinitions().families(r.familyPrefix(), r.status()),
                r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
