package dev.berth.api.shape;

import dev.berth.model.KeyValuePair;
import java.time.Instant;
import java.util.List;

/** ECS {@code ContainerInstance}. Berth hosts are not EC2 instances: no ec2InstanceId. */
public record EcsContainerInstance(
        String containerInstanceArn,
        String ec2InstanceId,
        long version,
        VersionInfo versionInfo,
        List<InstanceResource> remainingResources,
        List<InstanceResource> registeredResources,
        String status,
        boolean agentConnected,
        int runningTasksCount,
        int pendingTasksCount,
        List<KeyValuePair> attributes,
        Instant registeredAt,
        List<Object> attachments,
        List<Object> tags) {

    /** ECS {@code VersionInfo}. */
    public record VersionInfo(String agentVersion, String agentHash, String dockerVersion) {
    }
}
