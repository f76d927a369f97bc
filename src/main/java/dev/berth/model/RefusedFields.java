package dev.berth.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ECS task definition fields that Berth's agent does not apply, and names that are no ECS
 * field at all ({@link EcsFieldNames}). Each is refused by name
 * at registration, because storing it and running the task without it would run the task
 * some other way than asked. A field that is absent, null, false or empty asks for nothing
 * and passes. Pure.
 */
public final class RefusedFields {

    /** Container fields the agent does not apply, with why. */
    private static final Map<String, String> CONTAINER = Map.of(
            "repositoryCredentials", "private registry credentials from Secrets Manager are not supported",
            "secrets", "secrets from Secrets Manager or Parameter Store are not supported",
            "environmentFiles", "environment files from S3 are not supported",
            "resourceRequirements", "GPUs and inference accelerators are not supported",
            "firelensConfiguration", "FireLens is not supported",
            "credentialSpecs", "Active Directory credential specs are not supported");

    private static final Map<String, String> LINUX_PARAMETERS = Map.of(
            "devices", "host devices are not supported",
            "maxSwap", "swap limits are not supported",
            "swappiness", "swap limits are not supported");

    /** Task fields the agent does not apply, with why. */
    private static final Map<String, String> TASK = Map.of(
            "proxyConfiguration", "App Mesh proxies are not supported",
            "inferenceAccelerators", "inference accelerators are not supported",
            "ephemeralStorage", "it applies to Fargate only",
            "enableFaultInjection", "fault injection is not supported");

    private static final Set<String> HOST_OR_NONE = Set.of("host", "none");
    private static final Set<String> VOLUME_KINDS = Set.of("efsVolumeConfiguration",
            "fsxWindowsFileServerVolumeConfiguration", "configuredAtLaunch");
    private static final Set<String> DOCKER_VOLUME_OPTIONS = Set.of("driverOpts", "labels");

    private RefusedFields() {
    }

    /** The message for the first field of {@code definition} that Berth refuses, if any. */
    public static Optional<String> firstRefused(TaskDefinition definition) {
        Map<String, Object> task = orEmpty(definition.unmodelled());
        Optional<String> refused = EcsFieldNames.unknownInTask(task);
        for (int i = 0; i < definition.containers().size(); i++) {
            ContainerDefinition container = definition.containers().get(i);
            int index = i;
            refused = refused.or(() -> EcsFieldNames.unknownInContainer(orEmpty(container.unmodelled()), index,
                    "container '" + container.name() + "'"));
        }
        if (refused.isPresent()) {
            return refused;
        }
        refused = refused(task, TASK, "task");
        if (refused.isPresent()) {
            return refused;
        }
        refused = taskModes(task).or(() -> platform(task)).or(() -> volumes(task));
        if (refused.isPresent()) {
            return refused;
        }
        for (ContainerDefinition container : definition.containers()) {
            String owner = "container '" + container.name() + "'";
            refused = ports(definition.networkMode(), container, owner);
            if (refused.isPresent()) {
                return refused;
            }
            Map<String, Object> fields = orEmpty(container.unmodelled());
            refused = refused(fields, CONTAINER, owner)
                    .or(() -> refused(nested(fields, "linuxParameters"), LINUX_PARAMETERS, owner, "linuxParameters."))
                    .or(() -> asks(nested(fields, "logConfiguration").get("secretOptions"))
                            ? message("logConfiguration.secretOptions", owner, "secrets are not supported")
                            : Optional.empty());
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    /**
     * Port mappings Docker would not publish as asked: in host mode the container binds its
     * containerPort on the host, so another hostPort cannot be had; in none mode nothing is
     * published at all.
     */
    private static Optional<String> ports(String networkMode, ContainerDefinition container, String owner) {
        for (PortMapping mapping : container.portMappingsOrEmpty()) {
            if ("none".equals(networkMode)) {
                return message("portMappings", owner, "the none network mode publishes no ports");
            }
            if ("host".equals(networkMode) && mapping.hasStaticHostPort()
                    && !mapping.hostPort().equals(mapping.containerPort())) {
                return message("hostPort", owner, "in the host network mode it must equal the containerPort ("
                        + mapping.containerPort() + ") or be left out");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> taskModes(Map<String, Object> task) {
        Object pid = task.get("pidMode");
        if (pid != null && !"host".equals(pid)) {
            return message("pidMode", "task", pid + " is not supported; use host");
        }
        Object ipc = task.get("ipcMode");
        if (ipc != null && !HOST_OR_NONE.contains(ipc)) {
            return message("ipcMode", "task", ipc + " is not supported; use host or none");
        }
        return Optional.empty();
    }

    private static Optional<String> platform(Map<String, Object> task) {
        Object os = nested(task, "runtimePlatform").get("operatingSystemFamily");
        if (os != null && !"LINUX".equals(os)) {
            return message("runtimePlatform.operatingSystemFamily", "task", "Berth runs Linux containers only");
        }
        return Optional.empty();
    }

    private static Optional<String> volumes(Map<String, Object> task) {
        if (!(task.get("volumes") instanceof Collection<?> volumes)) {
            return Optional.empty();
        }
        for (Object item : volumes) {
            Map<String, Object> volume = item instanceof Map<?, ?> ? cast(item) : Map.of();
            String owner = "volume '" + volume.get("name") + "'";
            for (String kind : VOLUME_KINDS) {
                if (asks(volume.get(kind))) {
                    return message(kind, owner, "only host paths and Docker volumes are supported");
                }
            }
            Map<String, Object> docker = nested(volume, "dockerVolumeConfiguration");
            Object driver = docker.get("driver");
            if (driver != null && !"local".equals(driver)) {
                return message("dockerVolumeConfiguration.driver", owner, "only the local driver is supported");
            }
            for (String option : DOCKER_VOLUME_OPTIONS) {
                if (asks(docker.get(option))) {
                    return message("dockerVolumeConfiguration." + option, owner, "it is not applied yet");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> refused(Map<String, Object> fields, Map<String, String> refused, String owner) {
        return refused(fields, refused, owner, "");
    }

    private static Optional<String> refused(Map<String, Object> fields, Map<String, String> refused, String owner,
            String prefix) {
        return refused.entrySet().stream().filter(e -> asks(fields.get(e.getKey())))
                .map(e -> "Invalid '" + prefix + e.getKey() + "' setting for " + owner + ": " + e.getValue()
                        + " by Berth, and the task would run without it.")
                .sorted().findFirst();
    }

    private static Optional<String> message(String field, String owner, String why) {
        return Optional.of("Invalid '" + field + "' setting for " + owner + ": " + why + ".");
    }

    /** Whether a JSON value asks for something: not null, not false, not an empty list or object. */
    private static boolean asks(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Collection<?> list) {
            return !list.isEmpty();
        }
        return !(value instanceof Map<?, ?> map && map.isEmpty());
    }

    private static Map<String, Object> nested(Map<String, Object> fields, String name) {
        Object value = fields.get(name);
        return value instanceof Map<?, ?> ? cast(value) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }
}
