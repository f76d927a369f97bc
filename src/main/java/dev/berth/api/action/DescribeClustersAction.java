package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DescribeClusters: the {@code default} cluster when none is named; unknown ones are MISSING failures. */
@Singleton
public class DescribeClustersAction extends SchedulerAction<DescribeClustersAction.Request> {

    public record Request(List<String> clusters) {
    }

    public record Response(List<EcsCluster> clusters, List<Failure> failures) {
    }

    public DescribeClustersAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request request) {
        List<String> names = request.clusters() == null || request.clusters().isEmpty()
                ? List.of(Clusters.nameOf(null)) : request.clusters();
        List<EcsCluster> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : names) {
            Optional<ClusterRecord> cluster = plane.clusters().find(reference);
            if (cluster.isPresent()) {
                found.add(shapes.cluster(plane.clusters().summary(cluster.get())));
            } else {
                failures.add(Failure.of(plane.arns().cluster(Clusters.nameOf(reference)), Failure.MISSING));
            }
        }
        return new Response(found, failures);
    }
}
