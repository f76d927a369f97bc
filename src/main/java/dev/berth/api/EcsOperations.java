package dev.berth.api;

import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every operation of the ECS API model and what Berth does with it: serves it fully, serves
 * it partly (the note says what is missing), or refuses it (the note says why, and what to use
 * instead). This one table answers the refused operations, feeds the README's compatibility
 * matrix, and is checked against the AWS SDK's own list of operations, so an operation that a
 * new SDK brings fails the build until it is classified here.
 */
public final class EcsOperations {

    /** How far Berth goes with an operation. */
    public enum Support {
        FULL("served"),
        PARTLY("served partly"),
        REFUSED("refused");

        private final String label;

        Support(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One operation: its ECS name, how it is supported, what the caller should know, and for a
     * refused one the ECS exception it is refused with (null when served).
     */
    public record Operation(String name, Support support, String note, EcsErrorType refusedWith) {
    }

    private static final String AGENT_CALL = "it is the ECS agent's own call; Berth's agent registers and reports "
            + "through Kafka: run the berth binary with the agent role on the host instead";
    private static final String CAPACITY_PROVIDERS = "capacity providers are Auto Scaling groups and Fargate, which "
            + "Berth's own hosts do not have; choose instances with placementConstraints (memberOf with "
            + "attribute:<name>, set on instances with PutAttributes or ECS_INSTANCE_ATTRIBUTES) instead";
    private static final String TASK_SETS = "task sets belong to the EXTERNAL and CODE_DEPLOY deployment "
            + "controllers; Berth services deploy with the ECS rolling update: use UpdateService with a new "
            + "taskDefinition instead";
    private static final String ACCOUNT_SETTINGS = "kept per principal (the caller's SigV4 access key, or the "
            + "root: a call with no key); only the root may name another principal in principalArn, as in ECS "
            + "(ClientException); the long ARN formats are always enabled and containerInsights is the default of new "
            + "clusters, the other settings change nothing on Berth; fargateFIPSMode and guardDutyActivate are refused";
    private static final String SERVICE_DEPLOYMENTS = "service deployments are not kept as their own resources; "
            + "read them in DescribeServices' deployments[] and roll back with UpdateService to the previous "
            + "taskDefinition instead";

    private static final Map<String, Operation> TABLE = table(
            // Clusters
            partly("CreateCluster", "configuration, capacityProviders, defaultCapacityProviderStrategy and "
                    + "serviceConnectDefaults are refused"),
            full("DeleteCluster", ""),
            partly("DescribeClusters", "include ATTACHMENTS and CONFIGURATIONS add nothing"),
            full("ListClusters", ""),
            partly("UpdateCluster", "settings only; configuration and serviceConnectDefaults are refused"),
            full("UpdateClusterSettings", "containerInsights is stored and answered; Berth serves its metrics on "
                    + "/q/metrics whatever it says"),
            refused("PutClusterCapacityProviders", EcsErrorType.UnsupportedFeatureException, CAPACITY_PROVIDERS),
            // Capacity providers
            refused("CreateCapacityProvider", EcsErrorType.UnsupportedFeatureException, CAPACITY_PROVIDERS),
            refused("DeleteCapacityProvider", EcsErrorType.UnsupportedFeatureException, CAPACITY_PROVIDERS),
            refused("DescribeCapacityProviders", EcsErrorType.UnsupportedFeatureException, CAPACITY_PROVIDERS),
            refused("UpdateCapacityProvider", EcsErrorType.UnsupportedFeatureException, CAPACITY_PROVIDERS),
            // Task definitions
            partly("RegisterTaskDefinition", "the awsvpc network mode and FARGATE are refused; requiresAttributes "
                    + "are derived only for the features Berth's agent applies, and never "
                    + "ecs.capability.task-cpu-mem-limit (task-level cpu and memory place the task but do not "
                    + "limit its cgroup)"),
            full("DescribeTaskDefinition", ""),
            full("ListTaskDefinitions", ""),
            full("ListTaskDefinitionFamilies", ""),
            full("DeregisterTaskDefinition", ""),
            full("DeleteTaskDefinitions", "INACTIVE revisions become DELETE_IN_PROGRESS and are kept, so their "
                    + "revision numbers are never used again"),
            // Tasks
            partly("RunTask", "launch types EC2 and EXTERNAL only (the task, DescribeTasks and its events say "
                    + "which was asked; EC2 when none); capacityProviderStrategy, networkConfiguration, "
                    + "platformVersion, enableExecuteCommand and volumeConfigurations are refused"),
            partly("StartTask", "networkConfiguration, enableExecuteCommand and volumeConfigurations are refused; a "
                    + "named instance that was deregistered is an `INACTIVE` failure, one the cluster never had "
                    + "`MISSING`, as in ECS"),
            full("StopTask", ""),
            full("DescribeTasks", ""),
            full("ListTasks", ""),
            refused("ExecuteCommand", EcsErrorType.UnsupportedFeatureException, "ECS Exec needs AWS Systems Manager; "
                    + "run docker exec on the container instance instead (Berth labels each container with "
                    + "dev.berth.task-arn)"),
            full("GetTaskProtection", ""),
            full("UpdateTaskProtection", "kept with the task; services do not stop a protected task to scale in or "
                    + "in a deployment (draining its instance and deleting the service still do)"),
            // Services
            partly("CreateService", "REPLICA and DAEMON with the ECS rolling update only; `launchType` EC2 or "
                    + "EXTERNAL, kept for the service and its tasks (ListServices filters by it); "
                    + "`healthCheckGracePeriodSeconds` for container health checks; load balancers, "
                    + "service registries, Service Connect and task sets are refused"),
            partly("UpdateService", "desiredCount, taskDefinition, forceNewDeployment, deploymentConfiguration, "
                    + "healthCheckGracePeriodSeconds, propagateTags and enableECSManagedTags"),
            full("DeleteService", ""),
            full("DescribeServices", ""),
            full("ListServices", ""),
            refused("ListServicesByNamespace", EcsErrorType.UnsupportedFeatureException, "namespaces are AWS Cloud "
                    + "Map's, for Service Connect, which Berth does not have; use ListServices per cluster instead"),
            refused("DescribeServiceDeployments", EcsErrorType.UnsupportedFeatureException, SERVICE_DEPLOYMENTS),
            refused("ListServiceDeployments", EcsErrorType.UnsupportedFeatureException, SERVICE_DEPLOYMENTS),
            refused("StopServiceDeployment", EcsErrorType.UnsupportedFeatureException, SERVICE_DEPLOYMENTS),
            refused("DescribeServiceRevisions", EcsErrorType.UnsupportedFeatureException, "service revisions are not "
                    + "kept; read the service's taskDefinition and deployments[] in DescribeServices instead"),
            refused("CreateTaskSet", EcsErrorType.UnsupportedFeatureException, TASK_SETS),
            refused("DeleteTaskSet", EcsErrorType.UnsupportedFeatureException, TASK_SETS),
            refused("DescribeTaskSets", EcsErrorType.UnsupportedFeatureException, TASK_SETS),
            refused("UpdateTaskSet", EcsErrorType.UnsupportedFeatureException, TASK_SETS),
            refused("UpdateServicePrimaryTaskSet", EcsErrorType.UnsupportedFeatureException, TASK_SETS),
            // Container instances and attributes
            full("ListContainerInstances", ""),
            full("DescribeContainerInstances", "include CONTAINER_INSTANCE_HEALTH answers the container runtime's "
                    + "check as the agent's last heartbeat said it"),
            full("UpdateContainerInstancesState", ""),
            full("DeregisterContainerInstance", ""),
            full("PutAttributes", ""),
            full("DeleteAttributes", ""),
            full("ListAttributes", ""),
            partly("UpdateContainerAgent", "answers MissingVersionException for every known instance, as ECS "
                    + "does for an agent it cannot update: Berth's agent is the berth binary; upgrade its package on "
                    + "the host and restart berth-agent.service instead"),
            refused("RegisterContainerInstance", EcsErrorType.UnsupportedFeatureException, AGENT_CALL),
            refused("DiscoverPollEndpoint", EcsErrorType.UnsupportedFeatureException, AGENT_CALL),
            refused("SubmitTaskStateChange", EcsErrorType.UnsupportedFeatureException, AGENT_CALL),
            refused("SubmitContainerStateChange", EcsErrorType.UnsupportedFeatureException, AGENT_CALL),
            refused("SubmitAttachmentStateChanges", EcsErrorType.UnsupportedFeatureException, AGENT_CALL),
            // Tags
            full("TagResource", "on clusters, task definitions, tasks, container instances and services"),
            full("UntagResource", ""),
            full("ListTagsForResource", ""),
            // Account settings
            partly("ListAccountSettings", ACCOUNT_SETTINGS),
            partly("PutAccountSetting", ACCOUNT_SETTINGS),
            partly("PutAccountSettingDefault", ACCOUNT_SETTINGS),
            full("DeleteAccountSetting", ""));

    private EcsOperations() {
    }

    /** Every classified operation, in the table's order (grouped by resource). */
    public static List<Operation> all() {
        return List.copyOf(TABLE.values());
    }

    public static Optional<Operation> find(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    /** The refusal of an operation Berth does not support, if the table refuses it. */
    public static Optional<EcsException> refusal(String name) {
        Operation operation = TABLE.get(name);
        if (operation == null || operation.support() != Support.REFUSED) {
            return Optional.empty();
        }
        return Optional.of(new EcsException(operation.refusedWith(),
                "Berth does not support " + name + ": " + operation.note() + "."));
    }

    private static Operation full(String name, String note) {
        return new Operation(name, Support.FULL, note, null);
    }

    private static Operation partly(String name, String missing) {
        return new Operation(name, Support.PARTLY, missing, null);
    }

    private static Operation refused(String name, EcsErrorType type, String why) {
        return new Operation(name, Support.REFUSED, why, type);
    }

    private static Map<String, Operation> table(Operation... operations) {
        Map<String, Operation> table = new LinkedHashMap<>();
        for (Operation operation : operations) {
            if (table.put(operation.name(), operation) != null) {
                throw new IllegalStateException("ECS operation classified twice: " + operation.name());
            }
        }
        return Collections.unmodifiableMap(table);
    }
}
