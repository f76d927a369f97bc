package dev.berth.agent.runtime;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.KeyValuePair;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskSize;
import dev.berth.protocol.DesiredTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Builds the {@link ContainerSpec} of one container of a desired task: RunTask overrides
 * applied, ECS units turned into the engine's, the Berth labels added. Pure, so it is
 * tested without an engine.
 */
public final class ContainerSpecs {

    /** The Linux kernel's smallest CPU weight; the ECS agent raises smaller values to it. */
    public static final int MIN_CPU_SHARES = 2;
    private static final long MIB = 1024L * 1024L;
    private static final Pattern NOT_ALLOWED_IN_NAME = Pattern.compile("[^a-zA-Z0-9_.-]");
    /** Docker accepts long names, but `docker ps` and logs stay readable below this. */
    private static final int MAX_NAME = 200;
    private static final String NAME_PREFIX = "berth-";
    /** ECS's CPU units per CPU, and Docker's NanoCpus. */
    private static final long CPU_UNITS_PER_CPU = 1024;
    private static final long NANO_CPUS_PER_CPU = 1_000_000_000L;

    private ContainerSpecs() {
    }

    /**
     * The engine's name of a task's container: {@code berth-<family>-<revision>-<container>-<taskid>}.
     * It is deterministic, so a worker finds its containers by name after a restart. Past
     * {@link #MAX_NAME} the family is cut, never the task id or the container's name, so two
     * containers of one task never share a name (the second's create would find the first's and
     * could take it for its own); a container name too long even without the family keeps its
     * start and a digest of all of it.
     */
    public static String containerName(DesiredTask task, String container) {
        TaskDefinition definition = task.taskDefinition();
        String family = allowed(definition.family());
        String tail = "-" + definition.revision() + "-" + allowed(container) + "-" + allowed(task.taskId());
        String name = NAME_PREFIX + family + tail;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        int familyRoom = MAX_NAME - NAME_PREFIX.length() - tail.length();
        if (familyRoom > 0) {
            return NAME_PREFIX + family.substring(0, familyRoom) + tail;
        }
        String digest = "-" + digest(container);
        String end = "-" + allowed(task.taskId());
        String start = NAME_PREFIX + definition.revision() + "-" + allowed(container);
        return start.substring(0, MAX_NAME - digest.length() - end.length()) + digest + end;
    }

    private static String allowed(String part) {
        return NOT_ALLOWED_IN_NAME.matcher(String.valueOf(part)).replaceAll("-");
    }

    /** 12 hex digits of the name's SHA-256: enough that two names of one task never share them. */
    private static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The spec of one container of the task.
     *
     * @throws ContainerRuntimeException CannotCreateContainerError when a setting of the
     *                                   definition is malformed or refers to what the task lacks
     */
    public static ContainerSpec build(DesiredTask task, ContainerDefinition definition)
            throws ContainerRuntimeException {
        ContainerOverride override = overrideOf(task, definition.name());
        List<String> command = override != null && override.command() != null ? override.command()
                : definition.commandOrEmpty();
        Integer reservation = override != null && override.memoryReservation() != null
                ? override.memoryReservation() : definition.memoryReservation();
        String networkMode = task.taskDefinition().networkMode();
        return new ContainerSpec(
                containerName(task, definition.name()),
                definition.image(),
                command,
                definition.entryPointOrEmpty(),
                environment(definition.environmentOrEmpty(), override),
                cpuShares(task, definition),
                mebibytes(memoryLimitOrRefuse(task, definition)),
                mebibytes(reservation),
                definition.portMappingsOrEmpty(),
                networkMode == null || networkMode.isBlank() ? "bridge" : networkMode,
                definition.workingDirectory(),
                definition.user(),
                definition.hostname(),
                labels(task, definition),
                HostSettings.of(task, definition),
                taskCpuQuota(task));
    }

    /**
     * The task's cpu (RunTask's override first) as the CPU quota of its only container: ECS sets it
     * as the task cgroup's quota, the same bound for one container. Berth makes no task cgroup, so
     * a task of several containers has none (its cpu is for placement only).
     */
    private static Long taskCpuQuota(DesiredTask task) throws ContainerRuntimeException {
        if (task.taskDefinition().containers().size() != 1) {
            return null;
        }
        String cpu = task.overrides() != null && task.overrides().cpu() != null ? task.overrides().cpu()
                : task.taskDefinition().cpu();
        try {
            OptionalInt units = TaskSize.cpuUnits(cpu);
            return units.isPresent() ? units.getAsInt() * NANO_CPUS_PER_CPU / CPU_UNITS_PER_CPU : null;
        } catch (IllegalArgumentException e) {
            throw RuntimeError.CannotCreateContainerError.because("Invalid 'cpu' setting for task: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The container's CPU shares: its CPU units (1024 per core), RunTask's override first, as
     * they are but never below {@link #MIN_CPU_SHARES}.
     */
    public static int cpuShares(DesiredTask task, ContainerDefinition definition) {
        ContainerOverride override = overrideOf(task, definition.name());
        Integer cpuUnits = override != null && override.cpu() != null ? override.cpu() : definition.cpu();
        return cpuUnits == null ? MIN_CPU_SHARES : Math.max(MIN_CPU_SHARES, cpuUnits);
    }

    /**
     * The container's hard memory limit in MiB, RunTask's override first; null without one. The
     * only container of a task that sets none gets the task's memory (RunTask's override first):
     * ECS bounds the task's cgroup by it, and for one container its own limit is the same bound.
     * (Several containers without one, under a task memory, are refused at registration and RunTask.)
     *
     * @throws IllegalArgumentException when the task's memory is no size
     */
    public static Integer memoryLimit(DesiredTask task, ContainerDefinition definition) {
        ContainerOverride override = overrideOf(task, definition.name());
        Integer own = override != null && override.memory() != null ? override.memory() : definition.memory();
        if (own != null || task.taskDefinition().containers().size() != 1) {
            return own;
        }
        String taskMemory = task.overrides() != null && task.overrides().memory() != null
                ? task.overrides().memory() : task.taskDefinition().memory();
        OptionalInt mib = TaskSize.memoryMiB(taskMemory);
        return mib.isPresent() ? mib.getAsInt() : null;
    }

    private static Integer memoryLimitOrRefuse(DesiredTask task, ContainerDefinition definition)
            throws ContainerRuntimeException {
        try {
            Integer limit = memoryLimit(task, definition);
            String taskMemory = task.overrides() != null && task.overrides().memory() != null
                    ? task.overrides().memory() : task.taskDefinition().memory();
            if (limit == null && TaskSize.memoryMiB(taskMemory).isPresent()) {
                // A revision registered before such tasks were refused (a service may still start it):
                // Berth bounds no group of containers by one task limit, so it does not run it unbounded.
                throw RuntimeError.CannotCreateContainerError.because("Invalid 'memory' setting for container '"
                        + definition.name() + "': the task has a memory of " + taskMemory + " and several "
                        + "containers; Berth bounds each container by its own 'memory', which this one does not set");
            }
            return limit;
        } catch (IllegalArgumentException e) {
            throw RuntimeError.CannotCreateContainerError.because("Invalid 'memory' setting for task: "
                    + e.getMessage(), e);
        }
    }

    private static Long mebibytes(Integer mib) {
        return mib == null || mib <= 0 ? null : mib * MIB;
    }

    /** The definition's variables, then the override's: an override wins for the same name. */
    private static List<String> environment(List<KeyValuePair> defined, ContainerOverride override) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (KeyValuePair pair : defined) {
            merged.put(pair.name(), pair.value());
        }
        if (override != null && override.environment() != null) {
            for (KeyValuePair pair : override.environment()) {
                merged.put(pair.name(), pair.value());
            }
        }
        List<String> entries = new ArrayList<>();
        merged.forEach((name, value) -> entries.add(name + "=" + (value == null ? "" : value)));
        return entries;
    }

    /**
     * The definition's docker labels, without any in Berth's namespace, then the five that ECS's
     * agent puts on every container ({@code com.amazonaws.ecs.task-arn}, {@code cluster},
     * {@code container-name}, {@code task-definition-family}, {@code task-definition-version}:
     * what log routers, the OpenTelemetry ECS processors and Datadog read a task from), then
     * Berth's own.
     */
    public static Map<String, String> labels(DesiredTask task, ContainerDefinition definition) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (definition.dockerLabels() != null) {
            definition.dockerLabels().forEach((name, value) -> {
                if (!name.startsWith(BerthLabels.PREFIX) && value != null) {
                    labels.put(name, value);
                }
            });
        }
        if (task.taskArn() != null) {
            labels.put(ECS_LABEL_PREFIX + "task-arn", task.taskArn());
        }
        labels.put(ECS_LABEL_PREFIX + "container-name", definition.name());
        labels.put(ECS_LABEL_PREFIX + "task-definition-family", task.taskDefinition().family());
        if (task.taskDefinition().revision() != null) {
            labels.put(ECS_LABEL_PREFIX + "task-definition-version",
                    String.valueOf(task.taskDefinition().revision()));
        }
        labels.put(ECS_LABEL_PREFIX + "cluster", task.cluster());
        labels.put(BerthLabels.CLUSTER, task.cluster());
        labels.put(BerthLabels.TASK_ID, task.taskId());
        labels.put(BerthLabels.INSTANCE_ID, task.instanceId());
        labels.put(BerthLabels.CONTAINER_NAME, definition.name());
        labels.put(BerthLabels.TASK_DEFINITION, task.taskDefinition().familyRevision());
        if (task.taskArn() != null) {
            labels.put(BerthLabels.TASK_ARN, task.taskArn());
        }
        return labels;
    }

    /** The namespace of the labels ECS's agent puts on the containers it runs. */
    private static final String ECS_LABEL_PREFIX = "com.amazonaws.ecs.";

    private static ContainerOverride overrideOf(DesiredTask task, String container) {
        if (task.overrides() == null) {
            return null;
        }
        for (ContainerOverride override : task.overrides().containerOverridesOrEmpty()) {
            if (container.equals(override.name())) {
                return override;
            }
        }
        return null;
    }
}
