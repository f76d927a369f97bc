package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.query.ClusterQuery;
import dev.berth.scheduler.placement.query.Expression;
import dev.berth.scheduler.placement.query.QuerySyntaxException;
import dev.berth.scheduler.state.InstanceView;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ListContainerInstances of a cluster: by {@code status} (ACTIVE or DRAINING; a deregistered
 * instance is gone) and by a {@code filter} in the cluster query language.
 */
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
        Expression filter = null;
        if (r.filter() != null && !r.filter().isBlank()) {
            try {
                filter = ClusterQuery.parse(r.filter());
            } catch (QuerySyntaxException e) {
                throw EcsException.invalidParameter("Invalid 'filter': " + e.getMessage());
            }
        }
        if (r.status() != null && !List.of("ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING",
                "REGISTRATION_FAILED").contains(r.status())) {
            throw EcsException.invalidParameter("Invalid 'status': " + r.status() + " is not a container instance "
                    + "status.");
        }
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<String> arns = new ArrayList<>();
        for (InstanceView instance : plane.state().instances(cluster.clusterName())) {
            String status = plane.state().instanceStatus(instance.instanceId());
            if ((r.status() == null || r.status().equals(status)) && matches(plane, filter, instance)) {
                arns.add(shapes.containerInstanceArn(instance.cluster(), instance.instanceId()));
            }
        }
        Paging<String> page = Paging.of("ListContainerInstances", arns, r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }

    private static boolean matches(ControlPlane plane, Expression filter, InstanceView instance) {
        if (filter == null) {
            return true;
        }
        Optional<Candidate> target = plane.state().candidate(instance.instanceId());
        return target.map(filter::test).orElse(false);
    }
}
