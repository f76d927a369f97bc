package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** DescribeClusters: the {@code default} cluster when none is named; unknown ones are MISSING failures. */
@Singleton
public class DescribeClustersAction extends SchedulerAction<DescribeClustersAction.Request> {

    /** What ECS's {@code include} may ask for; Berth has no attachments or configurations to add. */
    private static final Set<String> INCLUDE = Set.of("ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS");
    /** As ECS: up to 100 clusters a call. */
    private static final int MAX_CLUSTERS = 100;

    public record Request(List<String> clusters, List<String> include) {
    }

    public record Response(List<EcsCluster> clusters, List<Failure> failures) {
    }

    public DescribeClustersAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        List<String> include = r.include() == null ? List.of() : r.include();
        for (String field : include) {
            if (!INCLUDE.contains(field)) {
                throw EcsException.invalidParameter("Invalid 'include': " + field + " is not one of ATTACHMENTS, "
                        + "CONFIGURATIONS, SETTINGS, STATISTICS or TAGS.");
            }
        }
        if (r.clusters() != null && r.clusters().size() > MAX_CLUSTERS) {
            throw EcsException.invalidParameter("Invalid 'clusters': at most " + MAX_CLUSTERS + " clusters per call.");
        }
        List<String> names = r.clusters() == null || r.clusters().isEmpty()
                ? List.of(Clusters.nameOf(null)) : r.clusters();
        List<EcsCluster> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : names) {
            Optional<ClusterRecord> cluster = plane.clusters().find(reference);
            if (cluster.isPresent()) {
                found.add(shapes.cluster(plane.clusters().summary(cluster.get()),
                        include.contains("STATISTICS"), include.contains("SETTINGS"), include.contains("TAGS")));
            } else {
                failures.add(Failure.of(plane.arns().cluster(Clusters.nameOf(reference)), Failure.MISSING));
            }
        }
        return new Response(found, failures);
    }
}
