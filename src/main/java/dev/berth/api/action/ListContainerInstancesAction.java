package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListContainerInstances of a cluster; every Berth instance is ACTIVE. */
@Singleton
public class ListContainerInstancesAction extends SchedulerAction<ListContainerInstancesAction.Request> {

    public record Request(String cluster, String filter, String status, Integer maxResults, String nextToken) {
    }

    public record Response(List<String> containerInstanceArns, String nextToken) {
    }

    public ListContainerInstancesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.filter() != null && !r.filter().isBlank()) {
            throw EcsException.invalidParameter("Invalid 'filter': the cluster query language is not supported yet.");
        }
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<String> arns = r.status() != null && !Clusters.ACTIVE.equals(r.status()) ? List.of()
                : plane.state().instances(cluster.clusterName()).stream()
                        .map(i -> shapes.containerInstanceArn(i.cluster(), i.instanceId())).toList();
        Paging<String> page = Paging.of(arns, r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
