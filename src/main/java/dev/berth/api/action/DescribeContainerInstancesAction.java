package dev.berth.api.action;

import dev.berth.api.shape.EcsContainerInstance;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.state.InstanceView;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DescribeContainerInstances by id or ARN; unknown ones are MISSING failures. */
@Singleton
public class DescribeContainerInstancesAction extends SchedulerAction<DescribeContainerInstancesAction.Request> {

    /** As ECS: up to 100 container instances a call. */
    private static final int MAX_INSTANCES = 100;

    public record Request(String cluster, List<String> containerInstances, List<String> include) {
    }

    public record Response(List<EcsContainerInstance> containerInstances, List<Failure> failures) {
    }

    public DescribeContainerInstancesAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.containerInstances() == null || r.containerInstances().isEmpty()) {
            throw EcsException.invalidParameter("ContainerInstances cannot be empty.");
        }
        if (r.containerInstances().size() > MAX_INSTANCES) {
            throw EcsException.invalidParameter("Invalid 'containerInstances': at most " + MAX_INSTANCES
                    + " container instances per call.");
        }
        if (r.include() != null && r.include().stream().anyMatch(i -> !"TAGS".equals(i)
                && !"CONTAINER_INSTANCE_HEALTH".equals(i))) {
            throw EcsException.invalidParameter("Invalid 'include': only TAGS and CONTAINER_INSTANCE_HEALTH can be "
                    + "included.");
        }
        boolean tags = r.include() != null && r.include().contains("TAGS");
        boolean health = r.include() != null && r.include().contains("CONTAINER_INSTANCE_HEALTH");
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<EcsContainerInstance> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : r.containerInstances()) {
            String instanceId = Arns.lastSegment(reference);
            Optional<InstanceView> instance = plane.state().instance(instanceId)
                    .filter(i -> cluster.clusterName().equals(i.cluster()));
            if (instance.isPresent()) {
                EcsContainerInstance answered = shapes.containerInstance(instance.get(),
                        plane.state().instanceStatus(instanceId));
                if (tags) {
                    answered = answered.withTags(plane.tags().list(answered.containerInstanceArn()));
                }
                found.add(health ? answered.withHealth(shapes.health(instance.get())) : answered);
            } else {
                failures.add(Failure.of(shapes.containerInstanceArn(cluster.clusterName(), instanceId),
                        Failure.MISSING));
            }
        }
        return new Response(found, failures);
    }
}
