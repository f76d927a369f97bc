package dev.berth.api.action;

import dev.berth.api.shape.EcsService;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Services;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DescribeServices by name or ARN, any status; unknown ones are MISSING failures. */
@Singleton
public class DescribeServicesAction extends SchedulerAction<DescribeServicesAction.Request> {

    public record Request(String cluster, List<String> services, List<String> include) {
    }

    public record Response(List<EcsService> services, List<Failure> failures) {
    }

    public DescribeServicesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.services() == null || r.services().isEmpty()) {
            throw EcsException.invalidParameter("Services cannot be empty.");
        }
        if (r.services().size() > Services.MAX_DESCRIBED) {
            throw EcsException.invalidParameter("Invalid 'services': at most " + Services.MAX_DESCRIBED
                    + " services per call.");
        }
        if (r.include() != null && r.include().stream().anyMatch(i -> !"TAGS".equals(i))) {
            throw EcsException.invalidParameter("Invalid 'include': only TAGS can be included.");
        }
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<EcsService> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : r.services()) {
            Optional<Services.ServiceSummary> service = plane.services().find(cluster.clusterName(), reference);
            if (service.isPresent()) {
                found.add(shapes.service(service.get(), r.include() != null && r.include().contains("TAGS")));
            } else {
                failures.add(Failure.of(shapes.serviceArn(cluster.clusterName(), Arns.lastSegment(reference)),
                        Failure.MISSING));
            }
        }
        return new Response(found, failures);
    }
}
