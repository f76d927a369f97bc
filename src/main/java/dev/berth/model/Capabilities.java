package dev.berth.model;

import dev.berth.model.ContainerSettings.LinuxParameters;
import dev.berth.model.ContainerSettings.LogConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capability attributes of ECS, as container instances advertise them and task definitions
 * require them ({@code requiresAttributes}): an agent advertises what it can do, ECS derives at
 * registration what a definition needs, and placement puts a task only where both meet. Both
 * sides use these names, so a definition copied from ECS and Berth's agents speak alike.
 *
 * <p>Berth derives a capability only for a feature its agent applies (README, "What the agent
 * applies"); a definition that uses a feature Berth refuses never gets this far. Task-level
 * {@code cpu} and {@code memory} are placement only on Berth (no task cgroup), so
 * {@code ecs.capability.task-cpu-mem-limit} is neither derived nor advertised. Pure.
 */
public final class Capabilities {

    /** The prefix of the capabilities ECS named first. */
    public static final String CAPABILITY = "com.amazonaws.ecs.capability.";
    /** The prefix of the later ones. */
    public static final String ATTRIBUTE = "ecs.capability.";

    public static final String PRIVILEGED_CONTAINER = CAPABILITY + "privileged-container";
    public static final String CONTAINER_HEALTH_CHECK = ATTRIBUTE + "container-health-check";
    public static final String CONTAINER_ORDERING = ATTRIBUTE + "container-ordering";
    public static final String CONTAINER_RESTART_POLICY = ATTRIBUTE + "container-restart-policy";
    public static final String PID_IPC_NAMESPACE_SHARING = ATTRIBUTE + "pid-ipc-namespace-sharing";
    public static final String LOCAL_VOLUME_DRIVER = ATTRIBUTE + "docker-plugin.local";

    /**
     * The Docker Remote API versions an ECS agent advertises: those below 1.33 that it knows,
     * except 1.26, 1.27 and 1.31, which it has never advertised. Later versions added nothing
     * a task definition asks for by version.
     */
    public static final List<String> DOCKER_REMOTE_API_VERSIONS = List.of("1.17", "1.18", "1.19", "1.20", "1.21",
            "1.22", "1.23", "1.24", "1.25", "1.28", "1.29", "1.30", "1.32");

    /** The version the API reference names for dockerLabels, logConfiguration and ulimits. */
    static final String LABELS_LOGS_ULIMITS_API = "1.18";
    /** The version the API reference names for logConfiguration.options. */
    static final String LOG_OPTIONS_API = "1.19";
    /** The version the API reference names for linuxParameters.initProcessEnabled. */
    static final String INIT_PROCESS_API = "1.25";

    private Capabilities() {
    }

    public static String dockerRemoteApi(String version) {
        return CAPABILITY + "docker-remote-api." + version;
    }

    public static String loggingDriver(String driver) {
        return CAPABILITY + "logging-driver." + driver;
    }

    /**
     * The capabilities {@code definition} requires, in a stable order: per container a log
     * driver (and the API versions logConfiguration and its options need), Docker labels and
     * ulimits (the version of logConfiguration), a health check, dependsOn, a privileged container, an init process and a
     * restart policy; per task pidMode or ipcMode and Docker volumes.
     */
    public static List<String> requiredBy(TaskDefinition definition) {
        Set<String> required = new LinkedHashSet<>();
        for (ContainerDefinition container : definition.containers()) {
            ContainerSettings settings = ContainerSettings.of(container);
            LogConfiguration logs = settings.logConfiguration();
            if (logs != null && logs.logDriver() != null) {
                required.add(loggingDriver(logs.logDriver()));
                required.add(dockerRemoteApi(LABELS_LOGS_ULIMITS_API));
            }
            if (logs != null && logs.options() != null && !logs.options().isEmpty()) {
                required.add(dockerRemoteApi(LOG_OPTIONS_API));
            }
            if ((container.dockerLabels() != null && !container.dockerLabels().isEmpty())
                    || (settings.ulimits() != null && !settings.ulimits().isEmpty())) {
                required.add(dockerRemoteApi(LABELS_LOGS_ULIMITS_API));
            }
            if (settings.healthCheck() != null) {
                required.add(CONTAINER_HEALTH_CHECK);
            }
            if (!settings.dependsOnOrEmpty().isEmpty()) {
                required.add(CONTAINER_ORDERING);
            }
            if (settings.isPrivileged()) {
                required.add(PRIVILEGED_CONTAINER);
            }
            LinuxParameters linux = settings.linuxParameters();
            if (linux != null && Boolean.TRUE.equals(linux.initProcessEnabled())) {
                required.add(dockerRemoteApi(INIT_PROCESS_API));
            }
            if (settings.restartPolicy() != null && settings.restartPolicy().isEnabled()) {
                required.add(CONTAINER_RESTART_POLICY);
            }
        }
        TaskSettings task = TaskSettings.of(definition);
        if (task.pidMode() != null || task.ipcMode() != null) {
            required.add(PID_IPC_NAMESPACE_SHARING);
        }
        if (task.volumesOrEmpty().stream().anyMatch(v -> v.dockerVolumeConfiguration() != null)) {
            required.add(LOCAL_VOLUME_DRIVER);
        }
        return List.copyOf(required);
    }

    /**
     * The {@code requiresAttributes} of a definition being registered: those it carries (as a
     * definition copied from ECS does), then the derived ones it lacks, each {@code {"name": ...}}.
     */
    public static List<Map<String, String>> requiresAttributes(TaskDefinition definition) {
        List<Map<String, String>> attributes = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Object given = definition.unmodelled() == null ? null : definition.unmodelled().get("requiresAttributes");
        if (given instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name && names.add(name)) {
                    Map<String, String> kept = new LinkedHashMap<>();
                    map.forEach((k, v) -> {
                        if (k instanceof String key && v instanceof String value) {
                            kept.put(key, value);
                        }
                    });
                    attributes.add(kept);
                }
            }
        }
        for (String name : requiredBy(definition)) {
            if (names.add(name)) {
                attributes.add(Map.of("name", name));
            }
        }
        return attributes;
    }
}
