package dev.berth.protocol;

import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import dev.berth.model.Tag;
import java.time.Instant;
import java.util.List;

/**
 * {@code berth.services}, key {@code <cluster>/<serviceName>}, written by the scheduler: a
 * service's spec, its deployments and its last events. Each reconcile pass that changes a
 * deployment or adds an event re-sends the whole record with a higher version, in the same
 * transaction as the tasks it starts and stops. Running and pending counts are not stored:
 * they are read off the service's tasks.
 *
 * <p>A service's tasks carry the group {@code service:<serviceName>} and, as {@code startedBy},
 * the id of the deployment that started them ({@code ecs-svc/<digits>}), as in ECS.
 *
 * @param status         ACTIVE, DRAINING (deleted, tasks stopping) or INACTIVE
 * @param taskDefinition the PRIMARY deployment's task definition, {@code family:revision}
 * @param deployments    PRIMARY first, then the ACTIVE ones still running tasks
 * @param events         newest first, at most {@link #MAX_EVENTS}
 * @param requestHash    SHA-256 of the CreateService request, so that a repeat is recognised
 * @param tags           CreateService's and TagResource's; a record written before tags were kept has none
 * @param propagateTags  SERVICE or TASK_DEFINITION: whose tags the service's new tasks get; null for none
 * @param enableECSManagedTags whether its new tasks get {@code aws:ecs:serviceName} and
 *                       {@code aws:ecs:clusterName}; null (an older record) is false
 * @param launchType     EC2 or EXTERNAL, as CreateService asked, and its tasks' too; null (ECS's
 *                       default, and older records) is EC2
 * @param lastCompleted  the last deployment that was PRIMARY and COMPLETED, kept after its tasks
 *                       are gone, for the circuit breaker's rollback; null for none (or an older
 *                       record, whose rollback looks only among {@code deployments})
 * @param healthCheckGracePeriodSeconds how long after a task has started the service scheduler
 *                       leaves it running when its container health checks fail; null (ECS's
 *                       default, and older records) is 0
 */
public record ServiceRecord(
        int schemaVersion,
        long version,
        String cluster,
        String serviceName,
        String serviceArn,
        String status,
        String schedulingStrategy,
        int desiredCount,
        String taskDefinition,
        DeploymentConfiguration deploymentConfiguration,
        List<PlacementConstraint> placementConstraints,
        List<PlacementStrategy> placementStrategy,
        List<Deployment> deployments,
        List<Event> events,
        Instant createdAt,
        String requestHash,
        List<Tag> tags,
        String propagateTags,
        Boolean enableECSManagedTags,
        Deployment lastCompleted,
        String launchType,
        Integer healthCheckGracePeriodSeconds) implements BerthRecord {

    public static final int MAX_EVENTS = 100;
    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";
    public static final String REPLICA = "REPLICA";
    public static final String DAEMON = "DAEMON";
    /** What the task group of a service's tasks starts with; the service's name follows. */
    public static final String GROUP_PREFIX = "service:";

    public ServiceRecord {
        placementConstraints = placementConstraints == null ? List.of()
                : List.copyOf(placementConstraints.stream().map(c -> c == null ? null : c.asKept()).toList());
        placementStrategy = placementStrategy == null ? List.of() : List.copyOf(placementStrategy);
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        events = events == null ? List.of() : List.copyOf(events);
        tags = Tag.listOf(tags);
    }

    public ServiceRecord(int schemaVersion, long version, String cluster, String serviceName, String serviceArn,
            String status, String schedulingStrategy, int desiredCount, String taskDefinition,
            DeploymentConfiguration deploymentConfiguration, List<PlacementConstraint> placementConstraints,
            List<PlacementStrategy> placementStrategy, List<Deployment> deployments, List<Event> events,
            Instant createdAt, String requestHash) {
        this(schemaVersion, version, cluster, serviceName, serviceArn, status, schedulingStrategy, desiredCount,
                taskDefinition, deploymentConfiguration, placementConstraints, placementStrategy, deployments, events,
                createdAt, requestHash, List.of());
    }

    public ServiceRecord(int schemaVersion, long version, String cluster, String serviceName, String serviceArn,
            String status, String schedulingStrategy, int desiredCount, String taskDefinition,
            DeploymentConfiguration deploymentConfiguration, List<PlacementConstraint> placementConstraints,
            List<PlacementStrategy> placementStrategy, List<Deployment> deployments, List<Event> events,
            Instant createdAt, String requestHash, List<Tag> tags) {
        this(schemaVersion, version, cluster, serviceName, serviceArn, status, schedulingStrategy, desiredCount,
                taskDefinition, deploymentConfiguration, placementConstraints, placementStrategy, deployments, events,
                createdAt, requestHash, tags, null, null, null, null, null);
    }

    /** The same record with other tag propagation for the tasks it starts from now on (same version). */
    public ServiceRecord withTagPropagation(String newPropagateTags, Boolean newEnableECSManagedTags) {
        return new ServiceRecord(schemaVersion, version, cluster, serviceName, serviceArn, status, schedulingStrategy,
                desiredCount, taskDefinition, deploymentConfiguration, placementConstraints, placementStrategy,
                deployments, events, createdAt, requestHash, tags, newPropagateTags, newEnableECSManagedTags,
                lastCompleted, launchType, healthCheckGracePeriodSeconds);
    }

    /** The same record with another health check grace period (same version); null keeps none. */
    public ServiceRecord withHealthCheckGracePeriod(Integer seconds) {
        return new ServiceRecord(schemaVersion, version, cluster, serviceName, serviceArn, status, schedulingStrategy,
                desiredCount, taskDefinition, deploymentConfiguration, placementConstraints, placementStrategy,
                deployments, events, createdAt, requestHash, tags, propagateTags, enableECSManagedTags,
                lastCompleted, launchType, seconds);
    }

    /**
     * Whether the task started less than the health check grace period ago: the service
     * scheduler does not stop it for failing its health checks yet, as ECS does not.
     */
    public boolean inHealthCheckGracePeriod(Instant taskStartedAt, Instant now) {
        return healthCheckGracePeriodSeconds != null && healthCheckGracePeriodSeconds > 0 && taskStartedAt != null
                && now.isBefore(taskStartedAt.plusSeconds(healthCheckGracePeriodSeconds));
    }

    /** Whether the service's new tasks get ECS's managed tags. */
    public boolean managedTags() {
        return Boolean.TRUE.equals(enableECSManagedTags);
    }

    /** The same service at a later version with other tags. */
    public ServiceRecord withTags(long newVersion, List<Tag> newTags) {
        return new ServiceRecord(SCHEMA_VERSION, newVersion, cluster, serviceName, serviceArn, status,
                schedulingStrategy, desiredCount, taskDefinition, deploymentConfiguration, placementConstraints,
                placementStrategy, deployments, events, createdAt, requestHash, newTags, propagateTags,
                enableECSManagedTags, lastCompleted, launchType, healthCheckGracePeriodSeconds);
    }

    public static String key(String cluster, String serviceName) {
        return cluster + "/" + serviceName;
    }

    public String key() {
        return key(cluster, serviceName);
    }

    /** The task group of the service's tasks. */
    public String group() {
        return GROUP_PREFIX + serviceName;
    }

    /**
     * Whether the task is one of this service's: in its group and started by one of its
     * deployments. A standalone task that RunTask put in the group {@code service:<name>} is
     * not, and the service leaves it alone, as ECS's service scheduler leaves standalone tasks.
     */
    public boolean owns(DesiredTask task) {
        if (!group().equals(task.group()) || task.startedBy() == null) {
            return false;
        }
        for (Deployment d : deployments) {
            if (d.id().equals(task.startedBy())) {
                return true;
            }
        }
        return false;
    }

    /** EC2 or EXTERNAL: what the service and its tasks were started as. */
    public String launchTypeOrDefault() {
        return launchType == null ? DesiredTask.DEFAULT_LAUNCH_TYPE : launchType;
    }

    public boolean isDaemon() {
        return DAEMON.equals(schedulingStrategy);
    }

    /** ECS's bounds of a rolling deployment, in percent of the desired count. */
    public record DeploymentConfiguration(Integer maximumPercent, Integer minimumHealthyPercent,
            CircuitBreaker deploymentCircuitBreaker) {
    }

    /**
     * ECS's deployment circuit breaker.
     *
     * @param resetOnHealthyTask whether a task of the deployment that becomes healthy sets its
     *                           failed tasks back to 0; null (ECS's default, and older records) is true
     */
    public record CircuitBreaker(boolean enable, boolean rollback, Boolean resetOnHealthyTask) {

        public CircuitBreaker(boolean enable, boolean rollback) {
            this(enable, rollback, null);
        }

        public boolean resetsOnHealthyTask() {
            return !Boolean.FALSE.equals(resetOnHealthyTask);
        }
    }

    /**
     * One deployment: a task definition the service rolls to (PRIMARY) or from (ACTIVE).
     *
     * @param rolloutState        IN_PROGRESS, COMPLETED or FAILED
     * @param failedTasks         tasks of this deployment that failed; with the circuit breaker's
     *                            {@code resetOnHealthyTask}, since one of its tasks last became healthy
     * @param failuresInARow      tasks of this deployment that failed since one last ran healthy
     * @param noStartBefore       while tasks keep failing, when the next may start (backoff); or null
     * @param newestHealthyStart  the latest start (the agent's startedAt) of a task of this deployment
     *                            seen healthy: a healthy task that started later is a task that became
     *                            healthy since; null until one is seen
     */
    public record Deployment(String id, String status, String taskDefinition, int failedTasks, Instant createdAt,
            Instant updatedAt, String rolloutState, String rolloutStateReason, int failuresInARow,
            Instant noStartBefore, Instant newestHealthyStart) {

        public Deployment(String id, String status, String taskDefinition, int failedTasks, Instant createdAt,
                Instant updatedAt, String rolloutState, String rolloutStateReason, int failuresInARow,
                Instant noStartBefore) {
            this(id, status, taskDefinition, failedTasks, createdAt, updatedAt, rolloutState, rolloutStateReason,
                    failuresInARow, noStartBefore, null);
        }

        public Deployment(String id, String status, String taskDefinition, int failedTasks, Instant createdAt,
                Instant updatedAt, String rolloutState, String rolloutStateReason) {
            this(id, status, taskDefinition, failedTasks, createdAt, updatedAt, rolloutState, rolloutStateReason, 0,
                    null);
        }

        public static final String PRIMARY = "PRIMARY";
        public static final String ACTIVE = "ACTIVE";
        public static final String IN_PROGRESS = "IN_PROGRESS";
        public static final String COMPLETED = "COMPLETED";
        public static final String FAILED = "FAILED";
    }

    /** A service event, in ECS's words. */
    public record Event(String id, Instant createdAt, String message) {
    }

    /**
     * The service at a later version; {@link #lastCompleted} follows: the new PRIMARY when it is
     * COMPLETED, else the one before.
     */
    public ServiceRecord with(long newVersion, String newStatus, int newDesiredCount, String newTaskDefinition,
            DeploymentConfiguration newConfiguration, List<Deployment> newDeployments, List<Event> newEvents) {
        Deployment completed = !newDeployments.isEmpty()
                && Deployment.COMPLETED.equals(newDeployments.get(0).rolloutState())
                ? newDeployments.get(0) : lastCompleted;
        return new ServiceRecord(SCHEMA_VERSION, newVersion, cluster, serviceName, serviceArn, newStatus,
                schedulingStrategy, newDesiredCount, newTaskDefinition, newConfiguration, placementConstraints,
                placementStrategy, newDeployments, newEvents, createdAt, requestHash, tags, propagateTags,
                enableECSManagedTags, completed, launchType, healthCheckGracePeriodSeconds);
    }
}
