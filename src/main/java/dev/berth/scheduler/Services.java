package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.ServiceRecord.Deployment;
import dev.berth.protocol.ServiceRecord.DeploymentConfiguration;
import dev.berth.scheduler.placement.PlacementInputException;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.services.Deployments;
import dev.berth.scheduler.services.ServiceTaskTags;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Services: CreateService, UpdateService, DeleteService and their views. These calls only
 * write the service's record (its spec and deployments); the service scheduler then starts
 * and stops its tasks. They take {@code serviceLock}, which the service scheduler's passes
 * take too, so one service's record has one writer at a time.
 */
public final class Services {

    /** ECS's limit on services per DescribeServices call. */
    public static final int MAX_DESCRIBED = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock serviceLock;
    private final Arns arns;
    private final Clusters clusters;
    private final TaskDefinitions taskDefinitions;
    private final ClientTokens tokens;
    /** How many tasks a DAEMON service wants now: the instances that take its tasks. */
    private final ToIntFunction<ServiceRecord> daemonHosts;

    Services(SchedulerState state, StateWriter writer, Lock serviceLock, Arns arns, Clusters clusters,
            TaskDefinitions taskDefinitions, ToIntFunction<ServiceRecord> daemonHosts) {
        this.state = state;
        this.daemonHosts = daemonHosts;
        this.writer = writer;
        this.serviceLock = serviceLock;
        this.arns = arns;
        this.clusters = clusters;
        this.taskDefinitions = taskDefinitions;
        this.tokens = new ClientTokens(state);
    }

    /** What CreateService asks for; the tags are part of it, so a repeat with other tags is another request. */
    public record ServiceSpec(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
            String schedulingStrategy, DeploymentConfiguration deploymentConfiguration,
            List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
            List<Tag> tags, String propagateTags, Boolean enableECSManagedTags, String launchType,
            Integer healthCheckGracePeriodSeconds) {

        public ServiceSpec(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
                String schedulingStrategy, DeploymentConfiguration deploymentConfiguration,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
                List<Tag> tags, String propagateTags, Boolean enableECSManagedTags, String launchType) {
            this(cluster, serviceName, taskDefinition, desiredCount, schedulingStrategy, deploymentConfiguration,
                    placementConstraints, placementStrategy, tags, propagateTags, enableECSManagedTags, launchType,
                    null);
        }

        public ServiceSpec(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
                String schedulingStrategy, DeploymentConfiguration deploymentConfiguration,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
                List<Tag> tags, String propagateTags, Boolean enableECSManagedTags) {
            this(cluster, serviceName, taskDefinition, desiredCount, schedulingStrategy, deploymentConfiguration,
                    placementConstraints, placementStrategy, tags, propagateTags, enableECSManagedTags, null);
        }

        public ServiceSpec(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
                String schedulingStrategy, DeploymentConfiguration deploymentConfiguration,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy) {
            this(cluster, serviceName, taskDefinition, desiredCount, schedulingStrategy, deploymentConfiguration,
                    placementConstraints, placementStrategy, List.of());
        }

        public ServiceSpec(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
                String schedulingStrategy, DeploymentConfiguration deploymentConfiguration,
                List<PlacementConstraint> placementConstraints, List<PlacementStrategy> placementStrategy,
                List<Tag> tags) {
            this(cluster, serviceName, taskDefinition, desiredCount, schedulingStrategy, deploymentConfiguration,
                    placementConstraints, placementStrategy, tags, null, null);
        }
    }

    /** What UpdateService asks for; null fields stay as they are. */
    public record ServiceUpdate(String cluster, String service, String taskDefinition, Integer desiredCount,
            DeploymentConfiguration deploymentConfiguration, boolean forceNewDeployment, String propagateTags,
            Boolean enableECSManagedTags, Integer healthCheckGracePeriodSeconds) {

        public ServiceUpdate(String cluster, String service, String taskDefinition, Integer desiredCount,
                DeploymentConfiguration deploymentConfiguration, boolean forceNewDeployment, String propagateTags,
                Boolean enableECSManagedTags) {
            this(cluster, service, taskDefinition, desiredCount, deploymentConfiguration, forceNewDeployment,
                    propagateTags, enableECSManagedTags, null);
        }

        public ServiceUpdate(String cluster, String service, String taskDefinition, Integer desiredCount,
                DeploymentConfiguration deploymentConfiguration, boolean forceNewDeployment) {
            this(cluster, service, taskDefinition, desiredCount, deploymentConfiguration, forceNewDeployment, null,
                    null);
        }
    }

    /** A service with the counts ECS shows, read off its tasks. */
    public record ServiceSummary(ServiceRecord service, int desiredCount, int runningCount, int pendingCount,
            Map<String, DeploymentCounts> deployments) {
    }

    public record DeploymentCounts(int desiredCount, int runningCount, int pendingCount) {
    }

    public ServiceSummary create(ServiceSpec spec, String clientToken) {
        String name = spec.serviceName();
        if (name == null || !NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("Invalid 'serviceName': up to 255 letters (uppercase and lowercase), "
                    + "numbers, underscores and hyphens are allowed.");
        }
        ClientTokens.validate(clientToken);
        ClusterRecord cluster = clusters.require(spec.cluster());
        String strategy = spec.schedulingStrategy() == null ? ServiceRecord.REPLICA : spec.schedulingStrategy();
        if (!ServiceRecord.REPLICA.equals(strategy) && !ServiceRecord.DAEMON.equals(strategy)) {
            throw EcsException.invalidParameter("Invalid 'schedulingStrategy': must be REPLICA or DAEMON.");
        }
        boolean daemon = ServiceRecord.DAEMON.equals(strategy);
        if (daemon && !spec.placementStrategy().isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'placementStrategy': placement strategies are not supported "
                    + "with the DAEMON scheduling strategy.");
        }
        if (!daemon && spec.desiredCount() == null) {
            throw EcsException.invalidParameter("Invalid 'desiredCount': it is required for a REPLICA service.");
        }
        int desired = daemon ? 0 : requireCount(spec.desiredCount());
        List<Tag> tags = Tags.validate(spec.tags());
        validate(spec.deploymentConfiguration());
        validateGracePeriod(spec.healthCheckGracePeriodSeconds());
        TaskDefinition definition = taskDefinitions.requireActive(spec.taskDefinition());
        validatePlacement(spec.placementConstraints(), spec.placementStrategy(), definition);
        String propagate = ServiceTaskTags.propagateTags(spec.propagateTags());
        Boolean managed = Boolean.TRUE.equals(spec.enableECSManagedTags()) ? Boolean.TRUE : null;
        String launchType = DesiredTask.DEFAULT_LAUNCH_TYPE.equals(spec.launchType()) ? null : spec.launchType();
        ServiceSpec normalized = new ServiceSpec(cluster.clusterName(), name, definition.familyRevision(),
                daemon ? null : desired, strategy, spec.deploymentConfiguration(), spec.placementConstraints(),
                spec.placementStrategy(), tags.isEmpty() ? null : tags, propagate, managed, launchType,
                spec.healthCheckGracePeriodSeconds());
        // Without tags, propagation, managed tags or a launch type other than EC2 the hash stays
        // what it was before they were kept, so repeats of older requests still match.
        String requestHash = tokens.hash(normalized);
        String tokenKey = clientToken == null ? null : ClientTokens.key("CreateService", cluster.clusterName(),
                clientToken);
        serviceLock.lock();
        try {
            if (tokenKey != null && tokens.previous(tokenKey, requestHash).isPresent()) {
                return summary(state.service(cluster.clusterName(), name).orElseThrow());
            }
            Optional<ServiceRecord> existing = state.service(cluster.clusterName(), name);
            if (existing.isPresent() && ServiceRecord.ACTIVE.equals(existing.get().status())) {
                if (requestHash.equals(existing.get().requestHash())) {
                    return summary(existing.get());
                }
                throw EcsException.invalidParameter("Creation of service was not idempotent.");
            }
            if (existing.isPresent() && ServiceRecord.DRAINING.equals(existing.get().status())) {
                throw EcsException.invalidParameter("Unable to Start a service that is still Draining.");
            }
            Instant now = state.clock().instant();
            ServiceRecord created = new ServiceRecord(BerthRecord.SCHEMA_VERSION,
                    existing.map(s -> s.version() + 1).orElse(1L), cluster.clusterName(), name,
                    arns.service(cluster.clusterName(), name), ServiceRecord.ACTIVE, strategy, desired,
                    definition.familyRevision(), spec.deploymentConfiguration(), spec.placementConstraints(),
                    spec.placementStrategy(), List.of(newDeployment(definition.familyRevision(), now)), List.of(), now,
                    requestHash, tags, propagate, managed, null, launchType, spec.healthCheckGracePeriodSeconds());
            List<StateChange> changes = new ArrayList<>();
            changes.add(new StateChange.Put(created));
            if (tokenKey != null) {
                changes.add(new StateChange.Put(tokens.record(tokenKey, "CreateService", requestHash, List.of(name),
                        List.of())));
            }
            writer.commit(changes);
            return summary(state.service(cluster.clusterName(), name).orElseThrow());
        } finally {
            serviceLock.unlock();
        }
    }

    public ServiceSummary update(ServiceUpdate update) {
        ClusterRecord cluster = clusters.require(update.cluster());
        validate(update.deploymentConfiguration());
        validateGracePeriod(update.healthCheckGracePeriodSeconds());
        TaskDefinition definition = update.taskDefinition() == null ? null
                : taskDefinitions.requireActive(update.taskDefinition());
        String propagate = update.propagateTags() == null ? null : ServiceTaskTags.propagateTags(update.propagateTags());
        serviceLock.lock();
        try {
            ServiceRecord service = requireActive(cluster.clusterName(), update.service());
            if (definition != null) {
                // Its constraints join the service's: together they must still be what placement takes
                // (at most 10, as ECS counts them), or every later pass of the service would fail.
                validatePlacement(service.placementConstraints(), service.placementStrategy(), definition);
            }
            int desired = service.desiredCount();
            if (update.desiredCount() != null) {
                if (service.isDaemon()) {
                    throw EcsException.invalidParameter("Invalid 'desiredCount': a DAEMON service runs one task on "
                            + "each container instance; its desired count cannot be set.");
                }
                desired = requireCount(update.desiredCount());
            }
            String taskDefinition = definition == null ? service.taskDefinition() : definition.familyRevision();
            DeploymentConfiguration configuration = merged(service.deploymentConfiguration(),
                    update.deploymentConfiguration());
            List<Deployment> deployments = service.deployments();
            Instant now = state.clock().instant();
            if (update.forceNewDeployment() || !taskDefinition.equals(service.taskDefinition())) {
                deployments = new ArrayList<>();
                deployments.add(newDeployment(taskDefinition, now));
                for (Deployment d : service.deployments()) {
                    deployments.add(Deployments.demoted(d, now));
                }
            }
            // Tag propagation applies to the tasks started from now on, as in ECS.
            writer.write(service.with(service.version() + 1, service.status(), desired, taskDefinition, configuration,
                    deployments, service.events()).withTagPropagation(
                            update.propagateTags() == null ? service.propagateTags() : propagate,
                            update.enableECSManagedTags() == null ? service.enableECSManagedTags()
                                    : update.enableECSManagedTags() ? Boolean.TRUE : null)
                    // A new grace period applies at once, to the tasks running too; it starts no deployment.
                    .withHealthCheckGracePeriod(update.healthCheckGracePeriodSeconds() == null
                            ? service.healthCheckGracePeriodSeconds() : update.healthCheckGracePeriodSeconds()));
            return summary(state.service(cluster.clusterName(), service.serviceName()).orElseThrow());
        } finally {
            serviceLock.unlock();
        }
    }

    /**
     * DeleteService: the service turns DRAINING, its tasks are stopped, and it turns INACTIVE
     * once they have. A REPLICA service still scaled above 0 needs {@code force}, as in ECS.
     */
    public ServiceSummary delete(String clusterRef, String serviceRef, boolean force) {
        ClusterRecord cluster = clusters.require(clusterRef);
        serviceLock.lock();
        try {
            ServiceRecord service = require(cluster.clusterName(), serviceRef);
            if (ServiceRecord.DRAINING.equals(service.status())) {
                return summary(service);
            }
            if (ServiceRecord.INACTIVE.equals(service.status())) {
                throw new EcsException(EcsErrorType.ServiceNotActiveException, "Service was not ACTIVE.");
            }
            if (!service.isDaemon() && service.desiredCount() > 0 && !force) {
                throw EcsException.invalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            writer.write(service.with(service.version() + 1, ServiceRecord.DRAINING, 0, service.taskDefinition(),
                    service.deploymentConfiguration(), service.deployments(), service.events()));
            return summary(state.service(cluster.clusterName(), service.serviceName()).orElseThrow());
        } finally {
            serviceLock.unlock();
        }
    }

    /** The services named (by name or ARN) in the cluster, any status; absent ones are empty. */
    public Optional<ServiceSummary> find(String clusterName, String serviceRef) {
        return state.service(clusterName, Arns.lastSegment(serviceRef)).map(this::summary);
    }

    /** ListServices: the cluster's ACTIVE and DRAINING services, by name. */
    public List<ServiceRecord> list(String clusterName, String schedulingStrategy) {
        return state.services(clusterName).stream()
                .filter(s -> !ServiceRecord.INACTIVE.equals(s.status()))
                .filter(s -> schedulingStrategy == null || schedulingStrategy.equals(s.schedulingStrategy()))
                .toList();
    }

    public ServiceSummary summary(ServiceRecord service) {
        int running = 0;
        int pending = 0;
        Map<String, int[]> byDeployment = new HashMap<>();
        for (TaskView task : state.groupTasks(service.cluster(), service.group())) {
            if (!service.owns(task.desired())) {
                continue;
            }
            int[] counts = byDeployment.computeIfAbsent(task.desired().startedBy(), id -> new int[2]);
            if (task.isRunning()) {
                running++;
                counts[0]++;
            } else if (task.isPending()) {
                pending++;
                counts[1]++;
            }
        }
        int desired = service.isDaemon() && ServiceRecord.ACTIVE.equals(service.status())
                ? daemonHosts.applyAsInt(service) : service.desiredCount();
        Map<String, DeploymentCounts> deployments = new HashMap<>();
        for (int i = 0; i < service.deployments().size(); i++) {
            Deployment d = service.deployments().get(i);
            int[] counts = byDeployment.getOrDefault(d.id(), new int[2]);
            deployments.put(d.id(), new DeploymentCounts(i == 0 ? desired : counts[0] + counts[1], counts[0],
                    counts[1]));
        }
        return new ServiceSummary(service, desired, running, pending, deployments);
    }

    private ServiceRecord require(String clusterName, String serviceRef) {
        if (serviceRef == null || serviceRef.isBlank()) {
            throw EcsException.invalidParameter("Invalid 'service': it should not be null or empty.");
        }
        return state.service(clusterName, Arns.lastSegment(serviceRef))
                .orElseThrow(() -> new EcsException(EcsErrorType.ServiceNotFoundException, "Service not found."));
    }

    private ServiceRecord requireActive(String clusterName, String serviceRef) {
        ServiceRecord service = require(clusterName, serviceRef);
        if (!ServiceRecord.ACTIVE.equals(service.status())) {
            throw new EcsException(EcsErrorType.ServiceNotActiveException, "Service was not ACTIVE.");
        }
        return service;
    }

    private static int requireCount(int count) {
        if (count < 0) {
            throw EcsException.invalidParameter("Invalid 'desiredCount': it must be 0 or more.");
        }
        return count;
    }

    /** The service's constraints and strategies as placement reads them; a bad one is refused by name. */
    /** The service's constraints and strategies with the task definition's, as placement will read them. */
    private static void validatePlacement(List<PlacementConstraint> constraints, List<PlacementStrategy> strategies,
            TaskDefinition definition) {
        PlacementOptions options = new PlacementOptions(constraints, strategies);
        try {
            options.constraints(definition.placementConstraints());
            options.strategies(List.of());
        } catch (PlacementInputException e) {
            throw EcsException.invalidParameter(e.getMessage());
        }
    }

    private static void validateGracePeriod(Integer seconds) {
        if (seconds != null && seconds < 0) {
            throw EcsException.invalidParameter("Invalid 'healthCheckGracePeriodSeconds': it must be between 0 and "
                    + Integer.MAX_VALUE + ".");
        }
    }

    private static void validate(DeploymentConfiguration configuration) {
        if (configuration == null) {
            return;
        }
        Integer minimum = configuration.minimumHealthyPercent();
        Integer maximum = configuration.maximumPercent();
        if (minimum != null && (minimum < 0 || minimum > 100)) {
            throw EcsException.invalidParameter("Invalid 'deploymentConfiguration.minimumHealthyPercent': it must be "
                    + "between 0 and 100.");
        }
        if (maximum != null && maximum < 100) {
            throw EcsException.invalidParameter("Invalid 'deploymentConfiguration.maximumPercent': it must be 100 or "
                    + "more.");
        }
    }

    /**
     * An update's deployment configuration over the service's: a setting the update leaves out
     * keeps its value, as in ECS (an update that names only maximumPercent leaves the circuit
     * breaker and the minimum alone).
     */
    static DeploymentConfiguration merged(DeploymentConfiguration held, DeploymentConfiguration update) {
        if (update == null || held == null) {
            return update == null ? held : update;
        }
        return new DeploymentConfiguration(
                update.maximumPercent() != null ? update.maximumPercent() : held.maximumPercent(),
                update.minimumHealthyPercent() != null ? update.minimumHealthyPercent() : held.minimumHealthyPercent(),
                update.deploymentCircuitBreaker() != null ? update.deploymentCircuitBreaker()
                        : held.deploymentCircuitBreaker());
    }

    private static Deployment newDeployment(String taskDefinition, Instant now) {
        return Deployments.start(taskDefinition, now);
    }
}
