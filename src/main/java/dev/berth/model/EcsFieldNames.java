package dev.berth.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The field names of ECS's task definition and container definition. A name that is neither
 * (a typo such as {@code healthcheck} or {@code memoryReservaton}) is refused at registration:
 * kept as an unknown field, it would be described back and never applied, and the task would
 * run without the health check or limit its author meant. Pure.
 */
final class EcsFieldNames {

    /** RegisterTaskDefinition's request, and what DescribeTaskDefinition adds (a described revision registered again). */
    private static final Set<String> TASK = Set.of("family", "taskRoleArn", "executionRoleArn", "networkMode",
            "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory",
            "tags", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage",
            "runtimePlatform", "enableFaultInjection", "taskDefinitionArn", "revision", "status", "requiresAttributes",
            "compatibilities", "registeredAt", "deregisteredAt", "registeredBy", "deleteRequestedAt");

    private static final Set<String> CONTAINER = Set.of("name", "image", "repositoryCredentials", "cpu", "memory",
            "memoryReservation", "links", "portMappings", "essential", "restartPolicy", "entryPoint", "command",
            "environment", "environmentFiles", "mountPoints", "volumesFrom", "linuxParameters", "secrets", "dependsOn",
            "startTimeout", "stopTimeout", "versionConsistency", "hostname", "user", "workingDirectory",
            "disableNetworking", "privileged", "readonlyRootFilesystem", "dnsServers", "dnsSearchDomains",
            "extraHosts", "dockerSecurityOptions", "interactive", "pseudoTerminal", "dockerLabels", "ulimits",
            "logConfiguration", "healthCheck", "systemControls", "resourceRequirements", "firelensConfiguration",
            "credentialSpecs");

    private EcsFieldNames() {
    }

    /** The message for the first field of the task (its fields kept as received) that ECS does not have. */
    static Optional<String> unknownInTask(Map<String, Object> fields) {
        return unknown(fields, TASK, "the task definition");
    }

    /** The message for the first field of a container (its fields kept as received) that ECS does not have. */
    static Optional<String> unknownInContainer(Map<String, Object> fields, String owner) {
        return unknown(fields, CONTAINER, owner);
    }

    private static Optional<String> unknown(Map<String, Object> fields, Set<String> known, String owner) {
        return fields.keySet().stream().filter(name -> !known.contains(name)).sorted().findFirst()
                .map(name -> "Unknown parameter '" + name + "' in " + owner + ": it is no field of ECS's "
                        + (known == TASK ? "task" : "container") + " definition" + suggestion(name, known)
                        + "; nothing was registered.");
    }

    private static String suggestion(String name, Set<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        return known.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(lower)).findFirst()
                .map(k -> " (did you mean '" + k + "'?)").orElse("");
    }
}
