package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * ListTaskDefinitions: ACTIVE by default, of one family ({@code familyPrefix} is the full
 * family name, as in ECS), sorted ASC or DESC.
 */
@Singleton
public class ListTaskDefinitionsAction extends SchedulerAction<ListTaskDefinitionsAction.Request> {

    public record Request(String familyPrefix, String status, String sort, Integer maxResults, String nextToken) {
    }

    public record Response(List<String> taskDefinitionArns, String nextToken) {
    }

    public ListTaskDefinitionsAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        List<TaskDefinition> definitions = plane.taskDefinitions().list(r.familyPrefix(), r.status(), r.sort());
        Paging<TaskDefinition> page = Paging.of("ListTaskDefinitions", definitions,
                d -> d.family() + "\u0001" + String.format("%010d", d.revision()),
                "DESC".equals(r.sort()), r.maxResults(), r.nextToken());
        return new Response(page.items().stream().map(TaskDefinition::taskDefinitionArn).toList(), page.nextToken());
    }
}
