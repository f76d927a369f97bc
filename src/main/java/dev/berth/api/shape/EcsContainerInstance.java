package dev.berth.api.shape;

import dev.berth.model.KeyValuePair;
import dev.berth.model.Tag;
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
        List<Tag> tags,
        HealthStatus healthStatus) {

    public EcsContainerInstance(String containerInstanceArn, String ec2InstanceId, long version,
            VersionInfo versionInfo, List<InstanceResource> remainingResources,
            List<InstanceResource> registeredResources, String status, boolean agentConnected, int runningTasksCount,
            int pendingTasksCount, List<KeyValuePair> attributes, Instant registeredAt, List<Object> attachments,
            List<Tag> tags) {
        this(containerInstanceArn, ec2InstanceId, version, versionInfo, remainingResources, registeredResources,
                status, agentConnected, runningTasksCount, pendingTasksCount, attributes, registeredAt, attachments,
                tags, null);
    }

    /** The same instance answered with its tags (DescribeContainerInstances with {@code include=TAGS}). */
    public EcsContainerInstance withTags(List<Tag> newTags) {
        return new EcsContainerInstance(containerInstanceArn, ec2InstanceId, version, versionInfo, remainingResources,
                registeredResources, status, agentConnected, runningTasksCount, pendingTasksCount, attributes,
                registeredAt, attachments, newTags, healthStatus);
    }

    /** The same instance answered with its health ({@code include=CONTAINER_INSTANCE_HEALTH}). */
    public EcsContainerInstance withHealth(HealthStatus health) {
        return new EcsContainerInstance(containerInstanceArn, ec2InstanceId, version, versionInfo, remainingResources,
                registeredResources, status, agentConnected, runningTasksCount, pendingTasksCount, attributes,
                registeredAt, attachments, tags, health);
    }

    /** ECS {@code ContainerInstanceHealthStatus}: Berth's one check is the container runtime's. */
    public record HealthStatus(String overallStatus, List<HealthDetail> details) {
    }

    /** ECS {@code InstanceHealthCheckResult}. */
    public record HealthDetail(String type, String status, Instant lastUpdated, Instant lastStatusChange) {
    }

    /** ECS {@code VersionInfo}. */
    public record VersionInfo(String agentVersion, String agentHash, String dockerVersion) {
    }
}
