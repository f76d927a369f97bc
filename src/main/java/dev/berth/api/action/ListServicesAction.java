package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** ListServices: the cluster's ACTIVE and DRAINING services, by name, paged. */
@Singleton
public class ListServicesAction extends SchedulerAction<ListServicesAction.Request> {

    /**
     * ECS answers up to 10 services a page unless asked for more, so that a page of ListServices
     * can go whole to DescribeServices (at most 10 a call), as scripts and waiters use it.
     */
    static final int DEFAULT_RESULTS = 10;

    public record Request(String cluster, String nextToken, Integer maxResults, String launchType,
            String schedulingStrategy, String resourceManagementType) {
    }

    public record Response(List<String> serviceArns, String nextToken) {
    }

    public ListServicesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        if (r.schedulingStrategy() != null && !List.of(ServiceRecord.REPLICA, ServiceRecord.DAEMON)
                .contains(r.schedulingStrategy())) {
            throw EcsException.invalidParameter("Invalid 'schedulingStrategy': must be REPLICA or DAEMON.");
        }
        if (r.launchType() != null && !ListTasksAction.LAUNCH_TYPES.contains(r.launchType())) {
            throw EcsException.invalidParameter("Invalid 'launchType': must be EC2, FARGATE or EXTERNAL.");
        }
        List<ServiceRecord> services = plane.services().list(cluster.clusterName(), r.schedulingStrategy()).stream()
                .filter(s -> r.launchType() == null || r.launchType().equals(s.launchTypeOrDefault())).toList();
        Paging<ServiceRecord> page = Paging.of("ListServices", services, ServiceRecord::serviceName, false,
                r.maxResults() == null ? DEFAULT_RESULTS : r.maxResults(), r.nextToken());
        return new Response(page.items().stream().map(ServiceRecord::serviceArn).toList(), page.nextToken());
    }
}
