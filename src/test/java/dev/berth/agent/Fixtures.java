package dev.berth.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Desired tasks built from the ECS JSON fixtures under src/test/resources/agent. */
public final class Fixtures {

    public static final String INSTANCE = "0123456789abcdef0123456789abcdef";
    public static final String CLUSTER = "default";
    private static final ObjectMapper MAPPER = RecordCodec.newMapper();

    private Fixtures() {
    }

    public static TaskDefinition webTaskDefinition() {
        return read("/agent/web-task-definition.json", TaskDefinition.class);
    }

    /** One essential busybox container that sleeps until SIGTERM, with an ephemeral host port. */
    public static TaskDefinition sleeperTaskDefinition() {
        return read("/agent/sleeper-task-definition.json", TaskDefinition.class);
    }

    /** One container whose image exists nowhere. */
    public static TaskDefinition missingImageTaskDefinition() {
        return read("/agent/missing-image-task-definition.json", TaskDefinition.class);
    }

    /** Overrides the sleeper's command: it exits with 7 after a second. */
    public static TaskOverride exit7Overrides() {
        return read("/agent/exit-7-overrides.json", TaskOverride.class);
    }

    public static TaskOverride runTaskOverrides() {
        return read("/agent/run-task-overrides.json", TaskOverride.class);
    }

    /** A task definition fixture of src/test/resources/agent, by file name. */
    public static TaskDefinition taskDefinition(String file) {
        return read("/agent/" + file, TaskDefinition.class);
    }

    /**
     * The definition with one ECS field of one container set to {@code value} (as JSON would
     * carry it: maps, lists, strings, numbers), or removed when null.
     */
    public static TaskDefinition withContainerField(TaskDefinition definition, String container, String field,
            Object value) {
        ObjectNode tree = MAPPER.valueToTree(definition);
        for (JsonNode node : tree.withArray("containerDefinitions")) {
            if (container.equals(node.path("name").asText())) {
                if (value == null) {
                    ((ObjectNode) node).remove(field);
                } else {
                    ((ObjectNode) node).set(field, MAPPER.valueToTree(value));
                }
            }
        }
        try {
            return MAPPER.treeToValue(tree, TaskDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The definition with one task-level ECS field set to {@code value}, or removed when null. */
    public static TaskDefinition withTaskField(TaskDefinition definition, String field, Object value) {
        ObjectNode tree = MAPPER.valueToTree(definition);
        if (value == null) {
            tree.remove(field);
        } else {
            tree.set(field, MAPPER.valueToTree(value));
        }
        try {
            return MAPPER.treeToValue(tree, TaskDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DesiredTask desired(String taskId, long version, TaskStatus status) {
        return desired(taskId, version, status, webTaskDefinition());
    }

    public static DesiredTask desired(String taskId, long version, TaskStatus status, TaskDefinition definition) {
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, version, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/" + taskId, CLUSTER, INSTANCE, definition,
                null, status, null, "family:web", Instant.parse("2025-01-01T00:00:00Z"), null, null);
    }

    private static <T> T read(String resource, Class<T> type) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
