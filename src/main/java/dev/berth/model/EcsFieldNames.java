package dev.berth.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The field names of ECS's task definition and container definition, and of the objects
 * inside them. A name that is none of these (a typo such as {@code healthcheck},
 * {@code memoryReservaton} or a mount point's {@code readonly}) is refused at registration:
 * kept as an unknown field, it would be described back and never applied, and the task would
 * run without the health check, limit or read-only mount its author meant. The shapes are
 * named as the AWS SDK's ECS model names them, and a test holds them to it. Pure.
 */
final class EcsFieldNames {

    /**
     * One ECS shape: its field names, and the shape of each field that holds an object or a
     * list of objects. A field holding a free map ({@code options}, {@code dockerLabels}) has
     * no shape: any key goes.
     */
    record Shape(String name, Set<String> fields, Map<String, Shape> objects) {

        static Shape of(String name, String... fields) {
            return new Shape(name, Set.of(fields), Map.of());
        }

        Shape withObjects(Map<String, Shape> byField) {
            return new Shape(name, fields, byField);
        }
    }

    private static final Shape KEY_VALUE_PAIR = Shape.of("KeyValuePair", "name", "value");
    private static final Shape SECRET = Shape.of("Secret", "name", "valueFrom");

    private static final Shape VOLUME = Shape.of("Volume", "name", "host", "dockerVolumeConfiguration",
            "efsVolumeConfiguration", "fsxWindowsFileServerVolumeConfiguration", "configuredAtLaunch")
            .withObjects(Map.of(
                    "host", Shape.of("HostVolumeProperties", "sourcePath"),
                    "dockerVolumeConfiguration", Shape.of("DockerVolumeConfiguration", "scope", "autoprovision",
                            "driver", "driverOpts", "labels"),
                    "efsVolumeConfiguration", Shape.of("EFSVolumeConfiguration", "fileSystemId", "rootDirectory",
                            "transitEncryption", "transitEncryptionPort", "authorizationConfig")
                            .withObjects(Map.of("authorizationConfig",
                                    Shape.of("EFSAuthorizationConfig", "accessPointId", "iam"))),
                    "fsxWindowsFileServerVolumeConfiguration", Shape.of("FSxWindowsFileServerVolumeConfiguration",
                            "fileSystemId", "rootDirectory", "authorizationConfig")
                            .withObjects(Map.of("authorizationConfig", Shape.of(
                                    "FSxWindowsFileServerAuthorizationConfig", "credentialsParameter", "domain")))));

    /** RegisterTaskDefinition's request, and what DescribeTaskDefinition adds (a described revision registered again). */
    private static final Shape TASK = new Shape("task", Set.of("family", "taskRoleArn", "executionRoleArn",
            "networkMode", "containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities", "cpu",
            "memory", "tags", "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage",
            "runtimePlatform", "enableFaultInjection", "taskDefinitionArn", "revision", "status", "requiresAttributes",
            "compatibilities", "registeredAt", "deregisteredAt", "registeredBy", "deleteRequestedAt"), Map.of(
                    "volumes", VOLUME,
                    "placementConstraints", Shape.of("TaskDefinitionPlacementConstraint", "type", "expression"),
                    "tags", Shape.of("Tag", "key", "value"),
                    "proxyConfiguration", Shape.of("ProxyConfiguration", "type", "containerName", "properties")
                            .withObjects(Map.of("properties", KEY_VALUE_PAIR)),
                    "inferenceAccelerators", Shape.of("InferenceAccelerator", "deviceName", "deviceType"),
                    "ephemeralStorage", Shape.of("EphemeralStorage", "sizeInGiB"),
                    "runtimePlatform", Shape.of("RuntimePlatform", "cpuArchitecture", "operatingSystemFamily"),
                    "requiresAttributes", Shape.of("Attribute", "name", "value", "targetType", "targetId")));

    private static final Shape LINUX_PARAMETERS = Shape.of("LinuxParameters", "capabilities", "devices",
            "initProcessEnabled", "sharedMemorySize", "tmpfs", "maxSwap", "swappiness").withObjects(Map.of(
                    "capabilities", Shape.of("KernelCapabilities", "add", "drop"),
                    "devices", Shape.of("Device", "hostPath", "containerPath", "permissions"),
                    "tmpfs", Shape.of("Tmpfs", "containerPath", "size", "mountOptions")));

    private static final Shape CONTAINER = new Shape("container", Set.of("name", "image", "repositoryCredentials",
            "cpu", "memory", "memoryReservation", "links", "portMappings", "essential", "restartPolicy", "entryPoint",
            "command", "environment", "environmentFiles", "mountPoints", "volumesFrom", "linuxParameters", "secrets",
            "dependsOn", "startTimeout", "stopTimeout", "versionConsistency", "hostname", "user", "workingDirectory",
            "disableNetworking", "privileged", "readonlyRootFilesystem", "dnsServers", "dnsSearchDomains",
            "extraHosts", "dockerSecurityOptions", "interactive", "pseudoTerminal", "dockerLabels", "ulimits",
            "logConfiguration", "healthCheck", "systemControls", "resourceRequirements", "firelensConfiguration",
            "credentialSpecs"), Map.ofEntries(
                    Map.entry("repositoryCredentials", Shape.of("RepositoryCredentials", "credentialsParameter")),
                    Map.entry("portMappings", Shape.of("PortMapping", "containerPort", "hostPort", "protocol", "name",
                            "appProtocol", "containerPortRange")),
                    Map.entry("restartPolicy", Shape.of("ContainerRestartPolicy", "enabled", "ignoredExitCodes",
                            "restartAttemptPeriod")),
                    Map.entry("environment", KEY_VALUE_PAIR),
                    Map.entry("environmentFiles", Shape.of("EnvironmentFile", "value", "type")),
                    Map.entry("mountPoints", Shape.of("MountPoint", "sourceVolume", "containerPath", "readOnly")),
                    Map.entry("volumesFrom", Shape.of("VolumeFrom", "sourceContainer", "readOnly")),
                    Map.entry("linuxParameters", LINUX_PARAMETERS),
                    Map.entry("secrets", SECRET),
                    Map.entry("dependsOn", Shape.of("ContainerDependency", "containerName", "condition")),
                    Map.entry("extraHosts", Shape.of("HostEntry", "hostname", "ipAddress")),
                    Map.entry("ulimits", Shape.of("Ulimit", "name", "softLimit", "hardLimit")),
                    Map.entry("logConfiguration", Shape.of("LogConfiguration", "logDriver", "options", "secretOptions")
                            .withObjects(Map.of("secretOptions", SECRET))),
                    Map.entry("healthCheck", Shape.of("HealthCheck", "command", "interval", "timeout", "retries",
                            "startPeriod")),
                    Map.entry("systemControls", Shape.of("SystemControl", "namespace", "value")),
                    Map.entry("resourceRequirements", Shape.of("ResourceRequirement", "value", "type")),
                    Map.entry("firelensConfiguration", Shape.of("FirelensConfiguration", "type", "options"))));

    private EcsFieldNames() {
    }

    /** The task's and the container's shapes, for the test that holds them to the AWS SDK's model. */
    static List<Shape> shapes() {
        return List.of(TASK, CONTAINER);
    }

    /** The message for the first field of the task (its fields kept as received) that ECS does not have. */
    static Optional<String> unknownInTask(Map<String, Object> fields) {
        return unknownAtTop(fields, TASK, "the task definition").or(() -> unknownInside(fields, TASK, ""));
    }

    /**
     * The message for the first field of a container (its fields kept as received) that ECS
     * does not have; {@code index} is its place in {@code containerDefinitions}.
     */
    static Optional<String> unknownInContainer(Map<String, Object> fields, int index, String owner) {
        return unknownAtTop(fields, CONTAINER, owner)
                .or(() -> unknownInside(fields, CONTAINER, "containerDefinitions[" + index + "]."));
    }

    private static Optional<String> unknownAtTop(Map<String, Object> fields, Shape shape, String owner) {
        return firstUnknown(fields, shape).map(name -> "Unknown parameter '" + name + "' in " + owner
                + ": it is no field of ECS's " + shape.name() + " definition" + suggestion(name, shape.fields())
                + "; nothing was registered.");
    }

    /** The first unknown name inside the objects of {@code fields}, named by its path from {@code prefix}. */
    private static Optional<String> unknownInside(Map<String, Object> fields, Shape shape, String prefix) {
        for (String field : fields.keySet().stream().filter(shape.objects()::containsKey).sorted().toList()) {
            Shape inner = shape.objects().get(field);
            Object value = fields.get(field);
            Optional<String> unknown = Optional.empty();
            if (value instanceof Map<?, ?> object) {
                unknown = unknownIn(cast(object), inner, prefix + field);
            } else if (value instanceof Collection<?> list) {
                int i = 0;
                for (Object item : list) {
                    if (item instanceof Map<?, ?> object) {
                        String path = prefix + field + "[" + i + "]";
                        unknown = unknown.or(() -> unknownIn(cast(object), inner, path));
                    }
                    i++;
                }
            }
            if (unknown.isPresent()) {
                return unknown;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unknownIn(Map<String, Object> object, Shape shape, String path) {
        return firstUnknown(object, shape).map(name -> "Unknown parameter '" + path + "." + name
                        + "': it is no field of ECS's " + shape.name() + suggestion(name, shape.fields())
                        + "; nothing was registered.")
                .or(() -> unknownInside(object, shape, path + "."));
    }

    private static Optional<String> firstUnknown(Map<String, Object> fields, Shape shape) {
        return fields.keySet().stream().filter(name -> !shape.fields().contains(name)).sorted().findFirst();
    }

    private static String suggestion(String name, Set<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        return known.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(lower)).findFirst()
                .map(k -> " (did you mean '" + k + "'?)").orElse("");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
