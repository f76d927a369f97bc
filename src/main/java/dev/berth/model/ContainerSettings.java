package dev.berth.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * The ECS container definition fields beyond {@link ContainerDefinition}'s own, read as
 * typed values from what it keeps {@code unmodelled}. The record keeps the registered JSON
 * as it came, so DescribeTaskDefinition returns it unchanged; this is the agent's typed view
 * of the same fields. A value of the wrong shape fails with an
 * {@link IllegalArgumentException} that names the field.
 */
public record ContainerSettings(
        List<ContainerDependency> dependsOn,
        HealthCheck healthCheck,
        Integer startTimeout,
        List<String> links,
        List<MountPoint> mountPoints,
        List<VolumeFrom> volumesFrom,
        List<Ulimit> ulimits,
        Boolean readonlyRootFilesystem,
        Boolean privileged,
        List<HostEntry> extraHosts,
        List<String> dnsServers,
        List<String> dnsSearchDomains,
        LinuxParameters linuxParameters,
        LogConfiguration logConfiguration,
        RestartPolicy restartPolicy,
        Boolean disableNetworking,
        Boolean interactive,
        Boolean pseudoTerminal,
        List<String> dockerSecurityOptions,
        List<SystemControl> systemControls) {

    /** A container definition that sets none of these fields. */
    public static final ContainerSettings NONE = new ContainerSettings(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null);

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** {@code mountPoints[]}: a task volume mounted at a path. */
    public record MountPoint(String sourceVolume, String containerPath, Boolean readOnly) {
    }

    /** {@code volumesFrom[]}: every volume of another container of the task. */
    public record VolumeFrom(String sourceContainer, Boolean readOnly) {
    }

    /** {@code ulimits[]}. */
    public record Ulimit(String name, Long softLimit, Long hardLimit) {
    }

    /** {@code extraHosts[]}: a line of the container's {@code /etc/hosts}. */
    public record HostEntry(String hostname, String ipAddress) {
    }

    /** {@code linuxParameters}; sizes in MiB. */
    public record LinuxParameters(KernelCapabilities capabilities, Boolean initProcessEnabled, List<Tmpfs> tmpfs,
            Integer sharedMemorySize) {
    }

    /** {@code linuxParameters.capabilities}. */
    public record KernelCapabilities(List<String> add, List<String> drop) {
    }

    /** {@code linuxParameters.tmpfs[]}; size in MiB. */
    public record Tmpfs(String containerPath, Integer size, List<String> mountOptions) {
    }

    /** {@code logConfiguration}: a Docker log driver and its options. */
    public record LogConfiguration(String logDriver, Map<String, String> options) {
    }

    /** {@code restartPolicy}: restart the container in place when it exits. */
    public record RestartPolicy(Boolean enabled, List<Integer> ignoredExitCodes, Integer restartAttemptPeriod) {

        /** ECS's default: a container must have run this long before it is restarted again. */
        public static final int DEFAULT_ATTEMPT_PERIOD_SECONDS = 300;

        public boolean isEnabled() {
            return Boolean.TRUE.equals(enabled);
        }

        public int attemptPeriodOrDefault() {
            return restartAttemptPeriod == null ? DEFAULT_ATTEMPT_PERIOD_SECONDS : restartAttemptPeriod;
        }

        public List<Integer> ignoredExitCodesOrEmpty() {
            return ignoredExitCodes == null ? List.of() : ignoredExitCodes;
        }
    }

    /** {@code systemControls[]}: a namespaced kernel parameter. */
    public record SystemControl(String namespace, String value) {
    }

    /** The typed settings of {@code definition}. */
    public static ContainerSettings of(ContainerDefinition definition) {
        Map<String, Object> raw = definition.unmodelled() == null ? Map.of() : definition.unmodelled();
        Reader r = new Reader(raw, "container '" + definition.name() + "'");
        return new ContainerSettings(
                r.read("dependsOn", new TypeReference<List<ContainerDependency>>() { }),
                r.read("healthCheck", new TypeReference<HealthCheck>() { }),
                r.read("startTimeout", new TypeReference<Integer>() { }),
                r.read("links", new TypeReference<List<String>>() { }),
                r.read("mountPoints", new TypeReference<List<MountPoint>>() { }),
                r.read("volumesFrom", new TypeReference<List<VolumeFrom>>() { }),
                r.read("ulimits", new TypeReference<List<Ulimit>>() { }),
                r.read("readonlyRootFilesystem", new TypeReference<Boolean>() { }),
                r.read("privileged", new TypeReference<Boolean>() { }),
                r.read("extraHosts", new TypeReference<List<HostEntry>>() { }),
                r.read("dnsServers", new TypeReference<List<String>>() { }),
                r.read("dnsSearchDomains", new TypeReference<List<String>>() { }),
                r.read("linuxParameters", new TypeReference<LinuxParameters>() { }),
                r.read("logConfiguration", new TypeReference<LogConfiguration>() { }),
                r.read("restartPolicy", new TypeReference<RestartPolicy>() { }),
                r.read("disableNetworking", new TypeReference<Boolean>() { }),
                r.read("interactive", new TypeReference<Boolean>() { }),
                r.read("pseudoTerminal", new TypeReference<Boolean>() { }),
                r.read("dockerSecurityOptions", new TypeReference<List<String>>() { }),
                r.read("systemControls", new TypeReference<List<SystemControl>>() { }));
    }

    /** Whether the definition has a health check, without reading its other settings. */
    public static boolean hasHealthCheck(ContainerDefinition definition) {
        return definition.unmodelled() != null && definition.unmodelled().get("healthCheck") != null;
    }

    public List<ContainerDependency> dependsOnOrEmpty() {
        return dependsOn == null ? List.of() : dependsOn;
    }

    public List<String> linksOrEmpty() {
        return links == null ? List.of() : links;
    }

    public List<MountPoint> mountPointsOrEmpty() {
        return mountPoints == null ? List.of() : mountPoints;
    }

    public List<VolumeFrom> volumesFromOrEmpty() {
        return volumesFrom == null ? List.of() : volumesFrom;
    }

    public boolean isPrivileged() {
        return Boolean.TRUE.equals(privileged);
    }

    /** Reads one field of the raw JSON as a type; a wrong shape names the field. */
    static final class Reader {

        private final Map<String, Object> raw;
        private final String owner;

        Reader(Map<String, Object> raw, String owner) {
            this.raw = raw;
            this.owner = owner;
        }

        <T> T read(String field, TypeReference<T> type) {
            Object value = raw.get(field);
            if (value == null) {
                return null;
            }
            try {
                return JSON.convertValue(value, type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid '" + field + "' setting for " + owner + ": "
                        + firstLine(e.getMessage()), e);
            }
        }

        private static String firstLine(String message) {
            if (message == null) {
                return "not of the ECS shape";
            }
            int newline = message.indexOf('\n');
            return newline < 0 ? message : message.substring(0, newline);
        }
    }
}
