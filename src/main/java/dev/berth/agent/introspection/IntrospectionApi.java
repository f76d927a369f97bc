package dev.berth.agent.introspection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.model.NetworkBinding;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The introspection API as a pure function: method, path and query in, status and JSON out,
 * in the ECS agent's v1 shapes. The JSON is built as a tree, so no reflection is needed.
 *
 * <pre>
 * GET /v1/metadata              {"Cluster", "ContainerInstanceArn", "Version"}
 * GET /v1/tasks                 {"Tasks": [task, ...]}
 * GET /v1/tasks?taskarn=ARN     task                      (404 when unknown)
 * GET /v1/tasks?dockerid=ID     task; a unique id prefix works too (404 unknown, 400 ambiguous)
 * task = {"Arn", "DesiredStatus"?, "KnownStatus", "Family", "Version",
 *         "Containers": [{"DockerId", "DockerName", "Name", "Image", "ImageID", "CreatedAt"?, "StartedAt"?,
 *                         "Ports"?, "Volumes"?: [{"DockerName"?, "Source", "Destination"}], "RestartCount"?}]}
 * </pre>
 * {@code ImageID} is empty until the agent has inspected the container; {@code RestartCount}
 * is there when the container has a restart policy.
 */
public final class IntrospectionApi implements JsonApi {

    public static final String METADATA = "/v1/metadata";
    public static final String TASKS = "/v1/tasks";

    private final ObjectMapper mapper = new ObjectMapper();
    private final AgentMetadata metadata;
    private final Supplier<? extends Collection<TaskSnapshot>> tasks;

    public IntrospectionApi(AgentMetadata metadata, Supplier<? extends Collection<TaskSnapshot>> tasks) {
        this.metadata = metadata;
        this.tasks = tasks;
    }

    @Override
    public Reply answer(String method, String path, String rawQuery) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return error(405, "only GET is served");
        }
        String route = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        switch (route) {
            case "/":
                // ECS's agent answers its root with the paths it serves.
                ObjectNode commands = mapper.createObjectNode();
                commands.putArray("AvailableCommands").add(METADATA).add(TASKS);
                return reply(200, commands);
            case METADATA:
                return reply(200, metadata());
            case TASKS:
                return tasks(query(rawQuery));
            default:
                return error(404, "no such path: " + path);
        }
    }

    private ObjectNode metadata() {
        ObjectNode node = mapper.createObjectNode();
        node.put("Cluster", metadata.cluster());
        node.put("ContainerInstanceArn", metadata.containerInstanceArn());
        node.put("Version", metadata.version());
        return node;
    }

    private Reply tasks(Map<String, String> query) {
        String taskArn = query.get("taskarn");
        String dockerId = query.get("dockerid");
        if (taskArn != null && dockerId != null) {
            return error(400, "give either taskarn or dockerid, not both");
        }
        List<TaskSnapshot> all = new ArrayList<>(tasks.get());
        if (taskArn != null) {
            for (TaskSnapshot task : all) {
                if (taskArn.equals(task.desired().taskArn())) {
                    return reply(200, task(task));
                }
            }
            return error(404, "no task with taskarn " + taskArn);
        }
        if (dockerId != null) {
            return byDockerId(all, dockerId);
        }
        ArrayNode list = mapper.createArrayNode();
        all.forEach(task -> list.add(task(task)));
        ObjectNode body = mapper.createObjectNode();
        body.set("Tasks", list);
        return reply(200, body);
    }

    /** As the ECS agent: the full id, or a prefix of it (docker's short id) when only one container has it. */
    private Reply byDockerId(List<TaskSnapshot> all, String dockerId) {
        List<TaskSnapshot> byPrefix = new ArrayList<>();
        for (TaskSnapshot task : all) {
            for (TaskSnapshot.Container container : task.containers()) {
                String id = container.runtimeId();
                if (dockerId.equals(id)) {
                    return reply(200, task(task));
                }
                if (id != null && !dockerId.isEmpty() && id.startsWith(dockerId)) {
                    byPrefix.add(task);
                }
            }
        }
        if (byPrefix.size() == 1) {
            return reply(200, task(byPrefix.get(0)));
        }
        return byPrefix.isEmpty() ? error(404, "no task with a container of dockerid " + dockerId)
                : error(400, "dockerid " + dockerId + " matches more than one container");
    }

    private ObjectNode task(TaskSnapshot task) {
        ObjectNode node = mapper.createObjectNode();
        node.put("Arn", task.desired().taskArn());
        String known = AgentStatus.backend(task);
        // As ECS's agent: a task that stopped on its own is not shown wanting a status it will never reach.
        if (!TaskStatus.STOPPED.name().equals(known) || task.desiredStatus() == TaskStatus.STOPPED) {
            node.put("DesiredStatus", task.desiredStatus().name());
        }
        node.put("KnownStatus", known);
        node.put("Family", task.desired().taskDefinition().family());
        node.put("Version", String.valueOf(task.desired().taskDefinition().revision()));
        ArrayNode containers = node.putArray("Containers");
        for (TaskSnapshot.Container container : task.containers()) {
            // As the ECS agent: a container shows once the engine has it.
            if (container.runtimeId() != null) {
                containers.add(container(task, container));
            }
        }
        return node;
    }

    private ObjectNode container(TaskSnapshot task, TaskSnapshot.Container known) {
        ContainerState container = known.state();
        ObjectNode node = mapper.createObjectNode();
        node.put("DockerId", container.runtimeId());
        node.put("DockerName", ContainerSpecs.containerName(task.desired(), container.name()));
        node.put("Name", container.name());
        node.put("Image", container.image());
        // As ECS's agent, which always sends it: empty until known.
        node.put("ImageID", known.imageId() == null ? "" : known.imageId());
        if (known.createdAt() != null) {
            node.put("CreatedAt", known.createdAt().toString());
        }
        if (known.startedAt() != null) {
            node.put("StartedAt", known.startedAt().toString());
        }
        if (!container.networkBindings().isEmpty()) {
            ArrayNode ports = node.putArray("Ports");
            for (NetworkBinding binding : container.networkBindings()) {
                ObjectNode port = ports.addObject();
                port.put("ContainerPort", binding.containerPort());
                port.put("Protocol", binding.protocol());
                port.put("HostPort", binding.hostPort());
            }
        }
        TaskMetadataApi.volumes(node, known.mounts());
        if (container.restartCount() != null) {
            node.put("RestartCount", container.restartCount());
        }
        return node;
    }

    private Reply error(int status, String message) {
        return reply(status, mapper.createObjectNode().put("Error", message));
    }

    private Reply reply(int status, Object body) {
        try {
            return new Reply(status, mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write introspection JSON", e);
        }
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            values.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
        }
        return values;
    }

    /** Percent-decoded; a malformed escape is taken as it is, and then simply matches nothing. */
    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
