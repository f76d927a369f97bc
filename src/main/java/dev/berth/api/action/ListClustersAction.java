package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListClusters, {@code default} included. */
@Singleton
public class ListClustersAction extends SchedulerAction<ListClustersAction.Request> {

    public record Request(Integer maxResults, String nextToken) {
    }

    public record Response(List<String> clusterArns, String nextToken) {
    }

    public ListClustersAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        List<String> arns = plane.clusters().list().stream()
                .map(ClusterRecord::clusterName).map(plane.arns()::cluster).toList();
        Paging<String> page = Paging.of("ListClusters", arns, request.maxResults(), request.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
