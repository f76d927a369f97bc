package dev.berth.api.shape;

import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import java.time.Instant;
import dev.berth.model.Tag;
import java.util.List;

/** ECS {@code Service}, as DescribeServices and the service calls answer it. */
public record EcsService(
        String serviceArn,
        String serviceName,
        String clusterArn,
        List<Object> loadBalancers,
        List<Object> serviceRegistries,
        String status,
        int desiredCount,
        int runningCount,
        int pendingCount,
        String launchType,
        String taskDefinition,
        DeploymentConfiguration deploymentConfiguration,
        List<Deployment> deployments,
        List<Event> events,
        Instant createdAt,
        List<PlacementConstraint> placementConstraints,
        List<PlacementStrategy> placementStrategy,
        String schedulingStrategy,
        DeploymentController deploymentController,
        boolean enableECSManagedTags,
        String propagateTags,
        boolean enableExecuteCommand,
        List<Tag> tags,
        Integer healthCheckGracePeriodSeconds) {

    public record DeploymentConfiguration(CircuitBreaker deploymentCircuitBreaker, int maximumPercent,
            int minimumHealthyPercent) {
    }

    public record CircuitBreaker(boolean enable, boolean rollback) {
    }

    public record Deployment(String id, String status, String taskDefinition, int desiredCount, int pendingCount,
            int runningCount, int failedTasks, Instant createdAt, Instant updatedAt, String launchType,
            String rolloutState, String rolloutStateReason) {
    }

    public record Event(String id, Instant createdAt, String message) {
    }

    public record DeploymentController(String type) {
    }
}
