package dev.berth.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerDependency;
import dev.berth.model.ContainerOverride;
import dev.berth.model.ContainerSettings;
import dev.berth.model.HealthCheck;
import dev.berth.model.PortMapping;
import dev.berth.model.RefusedFields;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.placement.PlacementInputException;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.model.TaskSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a task definition before it is registered, with ECS's messages (ClientException):
 * each names the field and the container at fault. Pure.
 */
public final class TaskDefinitionValidator {

    /** Docker needs a few MiB per container; ECS refuses less than this. */
    public static final int MIN_CONTAINER_MEMORY_MIB = 6;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final int MAX_PORT = 65535;
    /** Docker's own modes; {@code awsvpc} needs an ENI per task, which Berth hosts do not have. */
    private static final Set<String> NETWORK_MODES = Set.of("bridge", "host", "none");
    private static final Set<String> ECS_NETWORK_MODES = Set.of("bridge", "host", "none", "awsvpc");
    /** Berth runs tasks on hosts it manages, as ECS's EC2 and EXTERNAL launch types do. */
    private static final Set<String> COMPATIBILITIES = Set.of("EC2", "EXTERNAL");
    private static final Set<String> ECS_COMPATIBILITIES = Set.of("EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp");
    private static final Set<String> HEALTH_CHECK_KINDS = Set.of("CMD", "CMD-SHELL");
    /** ECS's limit on a task definition's size, its JSON in bytes (not adjustable). */
    public static final int MAX_DEFINITION_BYTES = 65_536;
    /** ECS's limit on the containers of one task definition (not adjustable). */
    public static final int MAX_CONTAINERS = 10;
    /** ECS's limit on a task's container overrides, their JSON in characters. */
    public static final int MAX_OVERRIDES_CHARACTERS = 8_192;
    /** ECS's port mapping names (Service Connect's): unique in the task definition. */
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,63}");
    private static final Set<String> APP_PROTOCOLS = Set.of("http", "http2", "grpc");
    /** ECS's bounds of a task-level cpu on the EC2 and external launch types (0.125 to 192 vCPU). */
    static final int MIN_TASK_CPU_UNITS = 128;
    static final int MAX_TASK_CPU_UNITS = 196_608;
    private static final ObjectWriter JSON = RecordCodec.newMapper().writer();

    private TaskDefinitionValidator() {
    }

    public static void validate(TaskDefinition definition) {
        int length = jsonLength(definition);
        if (length > MAX_DEFINITION_BYTES) {
            throw EcsException.client("Actual length: '" + length + "'. Max allowed length is '" + MAX_DEFINITION_BYTES
                    + "' bytes.");
        }
        String family = definition.family();
        if (family == null || family.isBlank()) {
            throw EcsException.client("Family should not be null or empty.");
        }
        if (!NAME.matcher(family).matches()) {
            throw EcsException.client("Family contains invalid characters: up to 255 letters (uppercase and "
                    + "lowercase), numbers, underscores and hyphens are allowed.");
        }
        OptionalInt taskMemory = taskSize(definition.memory(), "memory", true);
        OptionalInt taskCpu = taskSize(definition.cpu(), "cpu", false);
        if (taskCpu.isPresent() && (taskCpu.getAsInt() < MIN_TASK_CPU_UNITS
                || taskCpu.getAsInt() > MAX_TASK_CPU_UNITS)) {
            throw EcsException.client("Invalid 'cpu' setting for task: between " + MIN_TASK_CPU_UNITS + " and "
                    + MAX_TASK_CPU_UNITS + " CPU units (0.125 to 192 vCPU) on the EC2 and external launch types; "
                    + taskCpu.getAsInt() + " given.");
        }
        validateNetworkMode(definition.networkMode());
        validateCompatibilities(definition.requiresCompatibilities());
        RefusedFields.firstRefused(definition).ifPresent(message -> {
            throw EcsException.client(message);
        });
        DockerSettingsValidator.validateVolumes(definition);
        try {
            PlacementOptions.ofTaskDefinition(definition.placementConstraints());
        } catch (PlacementInputException e) {
            throw EcsException.client(e.getMessage());
        }
        List<ContainerDefinition> containers = definition.containers();
        if (containers.isEmpty()) {
            throw EcsException.client("Container list cannot be empty.");
        }
        if (containers.size() > MAX_CONTAINERS) {
            throw EcsException.client("Too many containers.");
        }
        if (containers.stream().noneMatch(ContainerDefinition::essentialOrDefault)) {
            // ECS refuses it: all tasks must have at least one essential container.
            throw EcsException.client("Task definition does not have any essential container.");
        }
        Set<String> names = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        boolean hostMode = "host".equals(definition.networkMode());
        Set<String> portNames = new HashSet<>();
        Map<String, ContainerSettings> settings = new LinkedHashMap<>();
        for (int i = 0; i < containers.size(); i++) {
            ContainerDefinition container = containers.get(i);
            validateName(container, names);
            settings.put(container.name(), validateContainer(container, taskMemory));
            DockerSettingsValidator.validateContainer(i, container.name(), settings.get(container.name()));
            validatePorts(container, hostMode, hostPorts, portNames);
        }
        DockerSettingsValidator.validateTaskMemory(containers, taskMemory);
        validateReferences(settings);
    }

    /**
     * Every container that {@code dependsOn}, {@code links} and {@code volumesFrom} name is in
     * the task, and no container waits, through its dependencies and links, for itself: such a
     * task would wait in PENDING on every host for ever.
     */
    private static void validateReferences(Map<String, ContainerSettings> containers) {
        Set<String> names = containers.keySet();
        Map<String, List<String>> waitsFor = new LinkedHashMap<>();
        containers.forEach((container, settings) -> {
            List<String> before = new ArrayList<>();
            for (ContainerDependency dependency : settings.dependsOnOrEmpty()) {
                before.add(requireContainer(container, "dependsOn", dependency.containerName(), names));
            }
            for (String link : settings.linksOrEmpty()) {
                int colon = link.indexOf(':');
                before.add(requireContainer(container, "links", colon < 0 ? link : link.substring(0, colon), names));
            }
            for (ContainerSettings.VolumeFrom from : settings.volumesFromOrEmpty()) {
                requireContainer(container, "volumesFrom", from.sourceContainer(), names);
            }
            waitsFor.put(container, before);
        });
        for (String start : waitsFor.keySet()) {
            List<String> path = new ArrayList<>(List.of(start));
            if (leadsBack(waitsFor, path, new HashSet<>())) {
                throw EcsException.client("Invalid 'dependsOn' setting for container '" + start + "': it waits for"
                        + " itself (" + String.join(" -> ", path) + "), through dependsOn and links.");
            }
        }
    }

    private static String requireContainer(String container, String field, String named, Set<String> names) {
        if (named == null || !names.contains(named) || named.equals(container)) {
            throw EcsException.client("Invalid '" + field + "' setting for container '" + container + "': "
                    + (named != null && named.equals(container) ? "it names the container itself."
                            : "container '" + named + "' is not in the task definition."));
        }
        return named;
    }

    /**
     * Whether what the last container of {@code path} waits for leads back to its first; if so,
     * {@code path} ends up holding the circle. {@code explored} holds the containers already
     * followed from that first one.
     */
    private static boolean leadsBack(Map<String, List<String>> waitsFor, List<String> path, Set<String> explored) {
        String start = path.get(0);
        for (String next : waitsFor.getOrDefault(path.get(path.size() - 1), List.of())) {
            if (next.equals(start)) {
                path.add(start);
                return true;
            }
            if (explored.add(next)) {
                path.add(next);
                if (leadsBack(waitsFor, path, explored)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }

    /**
     * Checks a RunTask's or StartTask's overrides as ECS does: at most 8,192 characters of
     * container overrides, their JSON formatting included (InvalidParameterException).
     */
    /**
     * RunTask's and StartTask's overrides against the definition they apply to: the sizes they
     * set obey the rules a definition's do, taken together with what they leave as it is (a
     * container's memory against the task's, a reservation against the limit), so a task
     * never runs or is placed with sizes no definition could have.
     */
    public static void validateOverrides(TaskDefinition definition, TaskOverride overrides) {
        if (overrides == null) {
            DockerSettingsValidator.validateTaskMemory(definition, null);
            return;
        }
        try {
            if (overrides.containerOverrides() != null
                    && JSON.writeValueAsString(overrides.containerOverrides()).length() > MAX_OVERRIDES_CHARACTERS) {
                throw EcsException.invalidParameter("Container Overrides length must be at most "
                        + MAX_OVERRIDES_CHARACTERS);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write container overrides as JSON", e);
        }
        OptionalInt taskMemory = overrideSize(overrides.memory(), definition.memory(), "memory", true);
        overrideSize(overrides.cpu(), definition.cpu(), "cpu", false);
        DockerSettingsValidator.validateTaskMemory(definition, overrides);
        Map<String, ContainerOverride> byName = new HashMap<>();
        for (ContainerOverride o : overrides.containerOverridesOrEmpty()) {
            byName.put(o.name(), o);
        }
        for (ContainerDefinition c : definition.containers()) {
            ContainerOverride o = byName.get(c.name());
            Integer cpu = o != null && o.cpu() != null ? o.cpu() : c.cpu();
            Integer memory = o != null && o.memory() != null ? o.memory() : c.memory();
            Integer reservation = o != null && o.memoryReservation() != null ? o.memoryReservation()
                    : c.memoryReservation();
            String at = "Invalid override for container '" + c.name() + "': ";
            if (cpu != null && cpu < 0) {
                throw EcsException.invalidParameter(at + "'cpu' must not be negative.");
            }
            if (memory != null && memory < MIN_CONTAINER_MEMORY_MIB
                    || reservation != null && reservation < MIN_CONTAINER_MEMORY_MIB) {
                throw EcsException.invalidParameter(at + "at least " + MIN_CONTAINER_MEMORY_MIB
                        + " MiB of 'memory' and 'memoryReservation' is required per container.");
            }
            if (memory != null && reservation != null && reservation > memory) {
                throw EcsException.invalidParameter(at + "'memoryReservation' " + reservation
                        + " is greater than its 'memory' " + memory + ".");
            }
            if (taskMemory.isPresent() && memory != null && memory > taskMemory.getAsInt()) {
                throw EcsException.invalidParameter("The 'memory' setting for container '" + c.name() + "' ("
                        + memory + ") is greater than for the task (" + taskMemory.getAsInt() + ").");
            }
        }
    }

    /** The task's size once overridden: an override that is no size is refused, naming it. */
    private static OptionalInt overrideSize(String override, String defined, String field, boolean memory) {
        if (override == null) {
            return memory ? taskSize(defined, field, true) : OptionalInt.empty();
        }
        try {
            OptionalInt size = memory ? TaskSize.memoryMiB(override) : TaskSize.cpuUnits(override);
            if (!memory && size.isPresent()) {
                checkTaskCpu(size.getAsInt(), "Invalid 'overrides.cpu': ");
            }
            return size;
        } catch (IllegalArgumentException e) {
            throw EcsException.invalidParameter("Invalid 'overrides." + field + "': " + override
                    + " is not a " + field + " size.");
        }
    }

    /** ECS's bounds of a task's cpu on the EC2 and external launch types. */
    private static void checkTaskCpu(int units, String prefix) {
        if (units < MIN_TASK_CPU_UNITS || units > MAX_TASK_CPU_UNITS) {
            throw EcsException.invalidParameter(prefix + "a task's cpu is between " + MIN_TASK_CPU_UNITS + " and "
                    + MAX_TASK_CPU_UNITS + " CPU units (0.125 to 192 vCPU); " + units + " given.");
        }
    }

    /** The definition as JSON, in bytes: what ECS's size limit counts. */
    private static int jsonLength(TaskDefinition definition) {
        try {
            return JSON.writeValueAsBytes(definition).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a task definition as JSON", e);
        }
    }

    private static void validateNetworkMode(String networkMode) {
        if (networkMode == null) {
            return;
        }
        if (!ECS_NETWORK_MODES.contains(networkMode)) {
            throw EcsException.client("Invalid 'networkMode' setting for task: " + networkMode + ".");
        }
        if (!NETWORK_MODES.contains(networkMode)) {
            throw EcsException.client("Invalid 'networkMode' setting for task: " + networkMode
                    + " is not supported by Berth; use bridge, host or none.");
        }
    }

    private static void validateCompatibilities(List<String> requires) {
        for (String compatibility : requires == null ? List.<String>of() : requires) {
            if (!ECS_COMPATIBILITIES.contains(compatibility)) {
                throw EcsException.client("Invalid 'requiresCompatibilities' setting for task: " + compatibility
                        + ".");
            }
            if (!COMPATIBILITIES.contains(compatibility)) {
                throw EcsException.client("Invalid 'requiresCompatibilities' setting for task: " + compatibility
                        + " is not supported by Berth, which runs tasks on its own container instances; use EC2.");
            }
        }
    }

    private static OptionalInt taskSize(String value, String field, boolean memory) {
        try {
            return memory ? TaskSize.memoryMiB(value) : TaskSize.cpuUnits(value);
        } catch (IllegalArgumentException e) {
            throw EcsException.client("Invalid '" + field + "' setting for task.");
        }
    }

    private static void validateName(ContainerDefinition container, Set<String> names) {
        String name = container.name();
        if (name == null || name.isBlank()) {
            throw EcsException.client("Container.name should not be null or empty.");
        }
        if (!NAME.matcher(name).matches()) {
            throw EcsException.client("Container.name contains invalid characters.");
        }
        if (!names.add(name)) {
            throw EcsException.client("Container names must be unique within a Task Definition.");
        }
    }

    /** Checks one container and returns its settings, read as the agent reads them. */
    private static ContainerSettings validateContainer(ContainerDefinition c, OptionalInt taskMemory) {
        String name = c.name();
        if (c.image() == null || c.image().isBlank()) {
            throw EcsException.client("Container.image should not be null or empty.");
        }
        if (c.cpu() != null && c.cpu() < 0) {
            throw EcsException.client("Invalid 'cpu' setting for container '" + name + "'.");
        }
        if (c.memory() != null && c.memory() < MIN_CONTAINER_MEMORY_MIB) {
            throw EcsException.client("Invalid 'memory' setting for container '" + name + "'. At least "
                    + MIN_CONTAINER_MEMORY_MIB + " MiB of memory is required per container.");
        }
        if (c.memoryReservation() != null && c.memoryReservation() < MIN_CONTAINER_MEMORY_MIB) {
            throw EcsException.client("Invalid 'memoryReservation' setting for container '" + name + "'. At least "
                    + MIN_CONTAINER_MEMORY_MIB + " MiB of memory is required per container.");
        }
        if (c.memory() == null && c.memoryReservation() == null && taskMemory.isEmpty()) {
            throw EcsException.client("Invalid setting for container '" + name
                    + "'. At least one of 'memory' or 'memoryReservation' must be specified.");
        }
        if (c.memory() != null && c.memoryReservation() != null && c.memoryReservation() > c.memory()) {
            throw EcsException.client("Invalid 'memoryReservation' setting for container '" + name
                    + "'. It must not be greater than the container's 'memory' setting.");
        }
        if (taskMemory.isPresent() && c.memory() != null && c.memory() > taskMemory.getAsInt()) {
            throw EcsException.client("The 'memory' setting for container '" + name + "' is greater than for the task.");
        }
        ContainerSettings settings;
        try {
            // Read as the agent reads them, so a setting of the wrong shape is refused now, by name,
            // not when a host first tries to run the task.
            settings = ContainerSettings.of(c);
        } catch (IllegalArgumentException e) {
            throw EcsException.client(e.getMessage());
        }
        validateHealthCheck(name, settings.healthCheck());
        return settings;
    }

    /** ECS's bounds on a health check: CMD or CMD-SHELL, and its times and retries. */
    private static void validateHealthCheck(String container, HealthCheck check) {
        if (check == null) {
            return;
        }
        List<String> command = check.commandOrEmpty();
        if (command.size() < 2 || !HEALTH_CHECK_KINDS.contains(command.get(0))) {
            throw EcsException.client("Invalid 'healthCheck.command' setting for container '" + container
                    + "': it must start with CMD or CMD-SHELL, followed by the command.");
        }
        requireBetween(container, "interval", check.interval(), 5, 300);
        requireBetween(container, "timeout", check.timeout(), 2, 60);
        requireBetween(container, "retries", check.retries(), 1, 10);
        requireBetween(container, "startPeriod", check.startPeriod(), 0, 300);
    }

    private static void requireBetween(String container, String field, Integer value, int least, int most) {
        if (value != null && (value < least || value > most)) {
            throw EcsException.client("Invalid 'healthCheck." + field + "' setting for container '" + container
                    + "': it must be between " + least + " and " + most + ", as in ECS; it is " + value + ".");
        }
    }

    /**
     * @param hostMode  whether the task uses the host's network: a mapping then binds its
     *                  containerPort on the host
     * @param hostPorts the host ports (protocol/port) the task's mappings bind so far: two
     *                  mappings of one port would have the second container's start fail
     */
    private static void validatePorts(ContainerDefinition c, boolean hostMode, Set<String> hostPorts,
            Set<String> portNames) {
        for (PortMapping mapping : c.portMappingsOrEmpty()) {
            if (mapping.containerPort() == null || mapping.containerPort() < 1 || mapping.containerPort() > MAX_PORT) {
                throw EcsException.client("Invalid 'containerPort' setting for container '" + c.name()
                        + "': a port mapping needs a containerPort between 1 and " + MAX_PORT + ".");
            }
            if (mapping.hostPort() != null && (mapping.hostPort() < 0 || mapping.hostPort() > MAX_PORT)) {
                throw EcsException.client("Invalid 'hostPort' setting for container '" + c.name()
                        + "': it must be between 0 and " + MAX_PORT + ".");
            }
            if (!PROTOCOLS.contains(mapping.protocolOrDefault())) {
                throw EcsException.client("Invalid 'protocol' setting for container '" + c.name()
                        + "': it must be tcp or udp.");
            }
            if (mapping.name() != null && (!PORT_NAME.matcher(mapping.name()).matches()
                    || !portNames.add(mapping.name()))) {
                throw EcsException.client("Invalid 'portMappings.name' setting for container '" + c.name() + "': "
                        + mapping.name() + " is not 1 to 64 lowercase letters, numbers, underscores and hyphens, "
                        + "not starting with a hyphen, or names another port mapping of the task definition too.");
            }
            if (mapping.appProtocol() != null && !APP_PROTOCOLS.contains(mapping.appProtocol())) {
                throw EcsException.client("Invalid 'portMappings.appProtocol' setting for container '" + c.name()
                        + "': it must be http, http2 or grpc.");
            }
            Integer hostPort = mapping.hasStaticHostPort() ? mapping.hostPort()
                    : hostMode ? mapping.containerPort() : null;
            if (hostPort != null && !hostPorts.add(mapping.protocolOrDefault() + "/" + hostPort)) {
                throw EcsException.client("Invalid 'hostPort' setting for container '" + c.name() + "': "
                        + mapping.protocolOrDefault().toUpperCase(java.util.Locale.ROOT) + " host port " + hostPort
                        + " is used by more than one port mapping of the task definition.");
            }
        }
    }
}
