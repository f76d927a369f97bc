package dev.berth.api.shape;

import dev.berth.model.KeyValuePair;
import dev.berth.model.Tag;
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
        List<KeyValuePair> statistics,
        List<Tag> tags,
        List<Object> capacityProviders,
        List<ClusterSetting> settings) {

    /** ECS {@code ClusterSetting}. */
    public record ClusterSetting(String name, String value) {
    }
}
