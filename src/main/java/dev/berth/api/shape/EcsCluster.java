package dev.berth.api.shape;

import java.util.List;

/** ECS {@code Cluster}. */
public record EcsCluster(
        String clusterArn,
        String clusterName,
        String status,
        int registeredContainerInstancesCount,
        int runningTasksCount,
        int pendingTasksCount,
        int activeServicesCount,
        List<Object> statistics,
        List<Object> tags,
        List<Object> capacityProviders) {
}
