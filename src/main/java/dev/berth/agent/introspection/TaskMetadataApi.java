package dev.berth.agent.introspection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerSettings;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The task metadata endpoint, version 4, as a pure function in the ECS agent's shapes. Each
 * container finds its own endpoint in {@code ECS_CONTAINER_METADATA_URI_V4}, whose last
 * segment is its {@link MetadataTokens token}:
 *
 * <pre>
 * GET /v4/{token}              the container: {"DockerId", "Name", "DockerName", "Image", "ImageID",
 *                              "Labels", "DesiredStatus", "KnownStatus", "ExitCode"?, "Limits",
 *                              "CreatedAt"?, "StartedAt"?, "FinishedAt"?, "Type", "LogDriver"?,
 *                              "LogOptions"?, "ContainerARN", "Networks", "Ports"?,
 *                              "Volumes"?: [{"DockerName"?, "Source", "Destination"}, ...],
 *                              "RestartCount"?, "Health"?}
 * GET /v4/{token}/task         the task: {"Cluster", "TaskARN", "Family", "Revision", "DesiredStatus",
 *                              "KnownStatus", "Limits"?, "PullStartedAt"?, "PullStoppedAt"?,
 *                              "ExecutionStoppedAt"?, "LaunchType", "Containers": [container, ...]}
 * GET /v4/{token}/stats        Docker's stats of the container (500 when it does not run)
 * GET /v4/{token}/task/stats   {"dockerId": Docker's stats, ...} for each container of the task
 *                              that has a Docker id ({} for one that has no stats)
 * </pre>
 * An unknown token is a 404, as is a container that has no Docker id yet.
 */
public final class TaskMetadataApi implements JsonApi {

    /** One sample of a container's stats, in Docker's JSON. */
    public interface Stats {
        Optional<String> of(String dockerId) throws ContainerRuntimeException;
    }

    private static final String PREFIX = "/v4/";
    private static final int CPU_UNITS_PER_VCPU = 1024;
    private static final int MIB_PER_GB = 1024;

    private final ObjectMapper mapper = new ObjectMapper();
    private final MetadataTokens tokens;
    private final Arns arns;
    private final Supplier<? extends Collection<TaskSnapshot>> tasks;
    private final Stats stats;

    public TaskMetadataApi(MetadataTokens tokens, Arns arns, Supplier<? extends Collection<TaskSnapshot>> tasks,
            Stats stats) {
        this.tokens = tokens;
        this.arns = arns;
        this.tasks = tasks;
        this.stats = stats;
    }

    /** What the container is told: its own endpoint under {@code baseUrl} ({@code http://172.17.0.1:51679}). */
    public String endpoint(String baseUrl, String taskId, String containerName) {
        return baseUrl + PREFIX + tokens.token(taskId, containerName);
    }

    @Override
    public Reply answer(String method, String path, String rawQuery) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return error(405, "only GET is served");
        }
        if (!path.startsWith(PREFIX)) {
            return error(404, "no such path: " + path);
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        String route = slash < 0 ? "" : rest.substring(slash);
        Optional<Caller> caller = find(token);
        if (caller.isEmpty()) {
            return error(404, "no container has this metadata endpoint");
        }
        if (state(caller.get().task(), caller.get().definition().name()).map(ContainerState::runtimeId).isEmpty()) {
            // As ECS's agent, which maps a container's endpoint once Docker has created it.
            return error(404, "the container has not been created yet");
        }
        try {
            switch (route.endsWith("/") ? route.substring(0, route.length() - 1) : route) {
                case "":
                    return reply(200, container(caller.get().task(), caller.get().definition()));
                case "/task":
                    return reply(200, task(caller.get().task()));
                case "/stats":
                    return containerStats(caller.get());
                case "/task/stats":
                    return reply(200, taskStats(caller.get().task()));
                default:
                    return error(404, "no such path: " + path);
            }
        } catch (ContainerRuntimeException e) {
            return error(503, e.reason());
        }
    }

    /** The container whose token this is, among the tasks this agent knows. */
    private record Caller(TaskSnapshot task, ContainerDefinition definition) {
    }

    private Optional<Caller> find(String token) {
        for (TaskSnapshot task : tasks.get()) {
            for (ContainerDefinition definition : task.desired().taskDefinition().containers()) {
                if (tokens.token(task.taskId(), definition.name()).equals(token)) {
                    return Optional.of(new Caller(task, definition));
                }
            }
        }
        return Optional.empty();
    }

    private ObjectNode task(TaskSnapshot snapshot) {
        DesiredTask desired = snapshot.desired();
        TaskStateChange reported = snapshot.reported();
        ObjectNode node = mapper.createObjectNode();
        node.put("Cluster", desired.cluster());
        node.put("TaskARN", desired.taskArn());
        node.put("Family", desired.taskDefinition().family());
        node.put("Revision", String.valueOf(desired.taskDefinition().revision()));
        node.put("DesiredStatus", desired.desiredStatus().name());
        node.put("KnownStatus", AgentStatus.task(snapshot));
        String cpu = desired.taskDefinition().cpu();
        String memory = desired.taskDefinition().memory();
        if (cpu != null || memory != null) {
            ObjectNode limits = node.putObject("Limits");
            size(cpu, "vcpu", 1.0 / CPU_UNITS_PER_VCPU, 1).ifPresent(vcpu -> limits.put("CPU", vcpu));
            size(memory, "gb", 1, MIB_PER_GB).ifPresent(mib -> limits.put("Memory", mib.longValue()));
        }
        if (reported != null) {
            putTime(node, "PullStartedAt", reported.pullStartedAt());
            putTime(node, "PullStoppedAt", reported.pullStoppedAt());
            putTime(node, "ExecutionStoppedAt", reported.stoppedAt());
        }
        node.put("LaunchType", "EC2");
        ArrayNode containers = node.putArray("Containers");
        for (ContainerDefinition definition : desired.taskDefinition().containers()) {
            if (state(snapshot, definition.name()).map(ContainerState::runtimeId).isPresent()) {
                containers.add(container(snapshot, definition));
            }
        }
        return node;
    }

    private ObjectNode container(TaskSnapshot snapshot, ContainerDefinition definition) {
        DesiredTask desired = snapshot.desired();
        Optional<TaskSnapshot.Container> known = snapshot.container(definition.name());
        Optional<ContainerState> state = known.map(TaskSnapshot.Container::state);
        ObjectNode node = mapper.createObjectNode();
        state.map(ContainerState::runtimeId).ifPresent(id -> node.put("DockerId", id));
        node.put("Name", definition.name());
        node.put("DockerName", ContainerSpecs.containerName(desired, definition.name()));
        node.put("Image", definition.image());
        // As ECS's agent, which always sends it: empty until known.
        node.put("ImageID", known.map(TaskSnapshot.Container::imageId).orElse(""));
        ObjectNode labels = node.putObject("Labels");
        ContainerSpecs.labels(desired, definition).forEach(labels::put);
        node.put("DesiredStatus", desired.desiredStatus().name());
        node.put("KnownStatus", state.map(AgentStatus::container).orElse("NONE"));
        state.map(ContainerState::exitCode).ifPresent(code -> node.put("ExitCode", code));
        // As ECS's agent: what the container runs with, RunTask's overrides included; the CPU shares
        // Docker was given (2 at least), and 0 without a hard memory limit.
        ObjectNode limits = node.putObject("Limits");
        limits.put("CPU", ContainerSpecs.cpuShares(desired, definition));
        Integer memory = ContainerSpecs.memoryLimit(desired, definition);
        limits.put("Memory", memory == null ? 0 : memory);
        known.ifPresent(c -> {
            putTime(node, "CreatedAt", c.createdAt());
            putTime(node, "StartedAt", c.startedAt());
            putTime(node, "FinishedAt", c.finishedAt());
        });
        node.put("Type", "NORMAL");
        ContainerSettings.LogConfiguration log = ContainerSettings.of(definition).logConfiguration();
        if (log != null) {
            node.put("LogDriver", log.logDriver());
            ObjectNode options = node.putObject("LogOptions");
            if (log.options() != null) {
                log.options().forEach(options::put);
            }
        }
        node.put("ContainerARN", arns.container(desired.cluster(), desired.taskId(), definition.name()));
        String networkMode = desired.taskDefinition().networkMode();
        node.putArray("Networks").addObject().put("NetworkMode", networkMode == null ? "bridge" : networkMode);
        ports(node, state.map(ContainerState::networkBindings).orElse(List.of()));
        volumes(node, known.map(TaskSnapshot.Container::mounts).orElse(List.of()));
        state.map(ContainerState::restartCount).ifPresent(count -> node.put("RestartCount", count));
        state.map(ContainerState::healthStatus).ifPresent(health -> {
            ObjectNode status = node.putObject("Health");
            // As ECS's agent: a health not known yet has no status.
            if (health != HealthStatus.UNKNOWN) {
                status.put("status", health.name());
            }
        });
        return node;
    }

    private void ports(ObjectNode node, List<NetworkBinding> bindings) {
        if (bindings.isEmpty()) {
            return;
        }
        ArrayNode ports = node.putArray("Ports");
        for (NetworkBinding binding : bindings) {
            ObjectNode port = ports.addObject();
            port.put("ContainerPort", binding.containerPort());
            port.put("Protocol", binding.protocol());
            port.put("HostPort", binding.hostPort());
            if (binding.bindIP() != null) {
                port.put("HostIp", binding.bindIP());
            }
        }
    }

    /** As ECS's agent: Docker's mounts, each field and the list left out when empty; /v1/tasks too. */
    static void volumes(ObjectNode node, List<RuntimeContainer.Mount> mounts) {
        if (mounts.isEmpty()) {
            return;
        }
        ArrayNode volumes = node.putArray("Volumes");
        for (RuntimeContainer.Mount mount : mounts) {
            ObjectNode volume = volumes.addObject();
            putText(volume, "DockerName", mount.name());
            putText(volume, "Source", mount.source());
            putText(volume, "Destination", mount.destination());
        }
    }

    private static void putText(ObjectNode node, String field, String text) {
        if (text != null && !text.isEmpty()) {
            node.put(field, text);
        }
    }

    /**
     * Docker's stats of the caller. A container that does not run has none, and the answer is
     * ECS's agent's (whose stats engine stops watching a container when it stops): a 500.
     */
    private Reply containerStats(Caller caller) throws ContainerRuntimeException {
        ContainerState state = state(caller.task(), caller.definition().name()).orElseThrow();
        Optional<String> sample = sample(state);
        return sample.map(json -> new Reply(200, json))
                .orElseGet(() -> error(500, "Unable to get container stats for: " + state.runtimeId()
                        + ": the container is not running"));
    }

    /**
     * Each container's stats by its Docker id. One that has none (it does not run, Docker no
     * longer has it, or its sample fails) is an empty object, as ECS's agent answers it: the
     * others' stats still come back.
     */
    private ObjectNode taskStats(TaskSnapshot snapshot) {
        ObjectNode node = mapper.createObjectNode();
        for (TaskSnapshot.Container container : snapshot.containers()) {
            String id = container.runtimeId();
            if (id == null) {
                continue;
            }
            try {
                Optional<String> sample = sample(container.state());
                node.set(id, sample.isPresent() ? mapper.readTree(sample.get()) : mapper.createObjectNode());
            } catch (ContainerRuntimeException e) {
                node.set(id, mapper.createObjectNode());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Docker's stats are not JSON", e);
            }
        }
        return node;
    }

    /** Docker's sample of a running container; empty, without asking Docker, for one known not to run. */
    private Optional<String> sample(ContainerState state) throws ContainerRuntimeException {
        if (state.runtimeId() == null || state.lastStatus() != ContainerStatus.RUNNING) {
            return Optional.empty();
        }
        return stats.of(state.runtimeId());
    }

    private static Optional<ContainerState> state(TaskSnapshot snapshot, String name) {
        return snapshot.container(name).map(TaskSnapshot.Container::state);
    }

    private static void putTime(ObjectNode node, String field, Instant at) {
        if (at != null) {
            node.put(field, at.toString());
        }
    }

    /**
     * A task-level size as ECS writes it, scaled: a plain number times {@code perUnit}
     * ({@code "256"} CPU units are 0.25 vCPU), a number with {@code bigUnit} times
     * {@code perBigUnit} ({@code "1 GB"} is 1024 MiB); empty when unset or not a size.
     */
    private static Optional<Double> size(String value, String bigUnit, double perUnit, double perBigUnit) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith(bigUnit)) {
                return Optional.of(Double.parseDouble(text.substring(0, text.length() - bigUnit.length()).trim())
                        * perBigUnit);
            }
            return Optional.of(Double.parseDouble(text) * perUnit);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Reply error(int status, String message) {
        return reply(status, mapper.createObjectNode().put("Error", message));
    }

    private Reply reply(int status, Object body) {
        try {
            return new Reply(status, mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write task metadata JSON", e);
        }
    }
}
