package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tasks;
import jakarta.inject.Singleton;
import java.util.List;

/** ListTasks: desiredStatus RUNNING unless told otherwise, as in ECS. */
@Singleton
public class ListTasksAction extends SchedulerAction<ListTasksAction.Request> {

    public record Request(String cluster, String containerInstance, String family, String startedBy,
            String desiredStatus, Integer maxResults, String nextToken) {
    }

    public record Response(List<String> taskArns, String nextToken) {
    }

    public ListTasksAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<String> arns = plane.tasks().list(cluster.clusterName(),
                new Tasks.TaskFilter(r.containerInstance(), r.family(), r.startedBy(), r.desiredStatus()))
                .stream().map(t -> shapes.taskArn(t.cluster(), t.taskId())).toList();
        Paging<String> page = Paging.of(arns, r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
