package dev.berth.api.shape;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.KeyValuePair;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.ClusterSettings;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.Services;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.TaskView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the ECS response shapes from the scheduler's views. */
public final class EcsShapes {

    private static final String HEALTH_UNKNOWN = "UNKNOWN";
    private static final String CPU_ARCHITECTURE = "ecs.cpu-architecture";
    private static final String CONNECTED = "CONNECTED";

    private final Arns arns;

    public EcsShapes(Arns arns) {
        this.arns = arns;
    }

    public EcsCluster cluster(Clusters.ClusterSummary summary) {
        return cluster(summary, false, false, false);
    }

    /**
     * A cluster as DescribeClusters shows it: with ECS's statistics when asked (every Berth
     * task runs on a container instance, so the Fargate counts are 0) and the
     * settings (containerInsights is disabled unless it was set) and the tags.
     */
    public EcsCluster cluster(Clusters.ClusterSummary summary, boolean statistics, boolean settings, boolean tags) {
        String name = summary.cluster().clusterName();
        List<KeyValuePair> stats = !statistics ? List.of() : List.of(
                new KeyValuePair("runningEC2TasksCount", String.valueOf(summary.runningTasksCount())),
                new KeyValuePair("runningFargateTasksCount", "0"),
                new KeyValuePair("pendingEC2TasksCount", String.valueOf(summary.pendingTasksCount())),
                new KeyValuePair("pendingFargateTasksCount", "0"),
                new KeyValuePair("activeEC2ServiceCount", String.valueOf(summary.activeServicesCount())),
                new KeyValuePair("activeFargateServiceCount", "0"),
                new KeyValuePair("drainingEC2ServiceCount", String.valueOf(summary.drainingServicesCount())),
                new KeyValuePair("drainingFargateServiceCount", "0"));
        return new EcsCluster(arns.cluster(name), name, summary.cluster().status(),
                summary.registeredContainerInstancesCount(), summary.runningTasksCount(), summary.pendingTasksCount(),
                summary.activeServicesCount(), stats, tags ? summary.cluster().tags() : null, List.of(),
                settings ? ClusterSettings.answered(summary.cluster()).stream()
                        .map(s -> new EcsCluster.ClusterSetting(s.name(), s.value())).toList() : null);
    }

    public String taskArn(String cluster, String taskId) {
        return arns.task(cluster, taskId);
    }

    /** A task as RunTask, StartTask and StopTask answer it: with its tags. */
    public EcsTask task(TaskView task) {
        return task(task, true);
    }

    /** A task as DescribeTasks answers it: with its tags only when asked ({@code include=TAGS}). */
    public EcsTask task(TaskView task, boolean tags) {
        return task(task, tags, Map.of());
    }

    /**
     * A task with the {@code ecs.cpu-architecture} of its instance (from the instance's
     * {@code attributes}), as ECS answers it; tags only when asked ({@code include=TAGS}), else
     * the empty list ECS's examples show.
     */
    public EcsTask task(TaskView task, boolean tags, Map<String, String> instanceAttributes) {
        TaskDefinition definition = task.desired().taskDefinition();
        Resources demand = task.demand();
        String taskArn = arns.task(task.cluster(), task.taskId());
        List<EcsContainer> containers = new ArrayList<>();
        Map<String, ContainerDefinition> definitions = new HashMap<>();
        for (ContainerDefinition c : definition.containers()) {
            definitions.put(c.name(), c);
        }
        for (ContainerState c : task.containers()) {
            ContainerDefinition d = definitions.get(c.name());
            containers.add(new EcsContainer(arns.container(task.cluster(), task.taskId(), c.name()), taskArn, c.name(),
                    c.image(), c.runtimeId(), c.lastStatus().name(), c.exitCode(), c.reason(),
                    c.networkBindings() == null ? List.of() : c.networkBindings(), List.of(),
                    c.healthStatus() == null ? HEALTH_UNKNOWN : c.healthStatus().name(),
                    String.valueOf(d.cpuOrZero()), text(d.memory()), text(d.memoryReservation())));
        }
        TaskOverride given = task.desired().overrides() == null
                ? new TaskOverride(List.of(), null, null) : task.desired().overrides();
        EcsTask.Overrides overrides = new EcsTask.Overrides(given.containerOverridesOrEmpty(), given.cpu(),
                given.memory(), List.of());
        String architecture = instanceAttributes == null ? null : instanceAttributes.get(CPU_ARCHITECTURE);
        List<KeyValuePair> attributes = architecture == null || architecture.isEmpty() ? List.of()
                : List.of(new KeyValuePair(CPU_ARCHITECTURE, architecture));
        return new EcsTask(taskArn, arns.cluster(task.cluster()), definition.taskDefinitionArn(),
                arns.containerInstance(task.cluster(), task.instanceId()), task.lastStatus().name(),
                task.desiredStatus().name(), containers, String.valueOf(demand.cpu()), String.valueOf(demand.memory()),
                overrides, task.desired().createdAt(), task.pullStartedAt(), task.pullStoppedAt(), task.startedAt(),
                task.stoppingAt(), task.stoppedAt(), task.stopCode(), task.stoppedReason(), task.desired().startedBy(),
                task.desired().group(), task.desired().launchTypeOrDefault(), task.healthStatus().name(),
                task.version(), List.of(),
                attributes, CONNECTED, task.desired().createdAt(), false,
                tags ? task.desired().tags() : List.of());
    }

    public String serviceArn(String cluster, String serviceName) {
        return arns.service(cluster, serviceName);
    }

    /** A service as CreateService, UpdateService and DeleteService answer it: with its tags. */
    public EcsService service(Services.ServiceSummary summary) {
        return service(summary, true);
    }

    /** A service as DescribeServices answers it: with its tags only when asked ({@code include=TAGS}). */
    public EcsService service(Services.ServiceSummary summary, boolean tags) {
        ServiceRecord s = summary.service();
        ServiceRecord.DeploymentConfiguration c = s.deploymentConfiguration();
        boolean daemon = s.isDaemon();
        int maximum = c != null && c.maximumPercent() != null ? c.maximumPercent() : daemon ? 100 : 200;
        int minimum = c != null && c.minimumHealthyPercent() != null ? c.minimumHealthyPercent() : daemon ? 0 : 100;
        ServiceRecord.CircuitBreaker breaker = c == null || c.deploymentCircuitBreaker() == null
                ? new ServiceRecord.CircuitBreaker(false, false) : c.deploymentCircuitBreaker();
        List<EcsService.Deployment> deployments = new ArrayList<>();
        for (ServiceRecord.Deployment d : s.deployments()) {
            Services.DeploymentCounts counts = summary.deployments().get(d.id());
            deployments.add(new EcsService.Deployment(d.id(), d.status(), taskDefinitionArn(d.taskDefinition()),
                    counts.desiredCount(), counts.pendingCount(), counts.runningCount(), d.failedTasks(), d.createdAt(),
                    d.updatedAt(), s.launchTypeOrDefault(), d.rolloutState(), d.rolloutStateReason()));
        }
        List<EcsService.Event> events = s.events().stream()
                .map(e -> new EcsService.Event(e.id(), e.createdAt(), e.message())).toList();
        return new EcsService(s.serviceArn(), s.serviceName(), arns.cluster(s.cluster()), List.of(), List.of(),
                s.status(), summary.desiredCount(), summary.runningCount(), summary.pendingCount(),
                s.launchTypeOrDefault(),
                taskDefinitionArn(s.taskDefinition()),
                new EcsService.DeploymentConfiguration(new EcsService.CircuitBreaker(breaker.enable(),
                        breaker.rollback()), maximum, minimum),
                deployments, events, s.createdAt(), s.placementConstraints(), s.placementStrategy(),
                s.schedulingStrategy(), new EcsService.DeploymentController("ECS"), s.managedTags(),
                s.propagateTags() == null ? "NONE" : s.propagateTags(), false,
                tags ? s.tags() : null, s.healthCheckGracePeriodSeconds());
    }

    private String taskDefinitionArn(String familyRevision) {
        int colon = familyRevision.lastIndexOf(':');
        return arns.taskDefinition(familyRevision.substring(0, colon),
                Integer.parseInt(familyRevision.substring(colon + 1)));
    }

    public String containerInstanceArn(String cluster, String instanceId) {
        return arns.containerInstance(cluster, instanceId);
    }

    public EcsContainerInstance containerInstance(InstanceView instance) {
        return containerInstance(instance, Clusters.ACTIVE);
    }

    /** With the status ECS shows: ACTIVE, or INACTIVE once deregistered. */
    public EcsContainerInstance containerInstance(InstanceView instance, String status) {
        InstanceRegistration r = instance.registration();
        List<KeyValuePair> attributes = new ArrayList<>();
        // A name-only attribute (a capability, or PutAttributes without a value) is kept as "" and
        // answered without a value, as ECS answers it.
        new TreeMap<>(instance.attributes()).forEach((k, v) -> attributes.add(new KeyValuePair(k,
                v == null || v.isEmpty() ? null : v)));
        return new EcsContainerInstance(arns.containerInstance(instance.cluster(), instance.instanceId()), null,
                instance.version(), new EcsContainerInstance.VersionInfo(r.agentVersion(), null, r.dockerVersion()),
                resources(instance.remaining()), resources(instance.registered()), status,
                instance.agentConnected(), instance.runningTasksCount(), instance.pendingTasksCount(), attributes,
                r.registeredAt(), List.of(), null);
    }

    /**
     * ECS's container instance health, whose one check here is the container runtime's: OK
     * when the Docker engine answered the agent's last call, IMPAIRED when it did not, as the
     * agent's last heartbeat said; INSUFFICIENT_DATA when the agent is not connected, or has
     * not said (before its first Docker call, or an agent that does not send it).
     */
    public EcsContainerInstance.HealthStatus health(InstanceView instance) {
        InstanceRegistration r = instance.registration();
        InstanceRegistration.RuntimeHealth runtime = r.runtimeHealth();
        String status = !instance.agentConnected() || runtime == null ? INSUFFICIENT_DATA : runtime.status();
        return new EcsContainerInstance.HealthStatus(status, List.of(new EcsContainerInstance.HealthDetail(
                "CONTAINER_RUNTIME", status, r.heartbeatAt(), runtime == null ? null : runtime.lastStatusChange())));
    }

    private static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private static List<InstanceResource> resources(Resources resources) {
        return List.of(InstanceResource.integer("CPU", resources.cpu()),
                InstanceResource.integer("MEMORY", resources.memory()),
                InstanceResource.stringSet("PORTS", texts(resources.ports())),
                InstanceResource.stringSet("PORTS_UDP", texts(resources.portsUdp())));
    }

    private static List<String> texts(java.util.Set<Integer> ports) {
        List<String> texts = new ArrayList<>();
        for (Integer port : new java.util.TreeSet<>(ports)) {
            texts.add(String.valueOf(port));
        }
        return texts;
    }

    private static String text(Integer value) {
        return value == null ? null : String.valueOf(value);
    }
}
