package dev.berth.agent.runtime;

import java.util.Map;

/**
 * The labels Berth puts on every container it creates. They are how a restarted agent finds
 * its containers again, and the mark that lets it touch a container at all: a container
 * without them is never listed, adopted, stopped or removed.
 */
public final class BerthLabels {

    public static final String PREFIX = "dev.berth.";
    public static final String CLUSTER = "dev.berth.cluster";
    public static final String TASK_ID = "dev.berth.task-id";
    public static final String INSTANCE_ID = "dev.berth.instance-id";
    public static final String CONTAINER_NAME = "dev.berth.container-name";
    /** {@code family:revision}. */
    public static final String TASK_DEFINITION = "dev.berth.task-definition";
    public static final String TASK_ARN = "dev.berth.task-arn";

    private BerthLabels() {
    }

    /** Whether the labels mark a container Berth created (on any instance). */
    public static boolean isBerth(Map<String, String> labels) {
        return labels != null && notBlank(labels.get(TASK_ID)) && notBlank(labels.get(INSTANCE_ID))
                && notBlank(labels.get(CONTAINER_NAME));
    }

    /** Whether the labels mark a container of this task on this instance. */
    public static boolean belongsTo(Map<String, String> labels, String instanceId, String taskId) {
        return isBerth(labels) && instanceId.equals(labels.get(INSTANCE_ID)) && taskId.equals(labels.get(TASK_ID));
    }

    /**
     * Whether the labels mark the container named {@code container} of this task on this
     * instance: a name found in the engine may be another container's of the same task.
     */
    public static boolean isContainerOf(Map<String, String> labels, String instanceId, String taskId,
            String container) {
        return belongsTo(labels, instanceId, taskId) && container != null
                && container.equals(labels.get(CONTAINER_NAME));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
