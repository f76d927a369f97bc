package dev.berth.agent.runtime;

import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine reports it now.
 *
 * @param status   PENDING (created, not started), RUNNING (running, paused or restarting),
 *                 STOPPED (exited or dead)
 * @param exitCode set once STOPPED
 * @param error    the engine's own error for the container (e.g. why it could not start)
 */
public record RuntimeContainer(
        String id,
        String name,
        String image,
        Map<String, String> labels,
        ContainerStatus status,
        Integer exitCode,
        String error,
        List<NetworkBinding> networkBindings,
        Instant startedAt,
        Instant finishedAt) {

    public RuntimeContainer {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        networkBindings = networkBindings == null ? List.of() : List.copyOf(networkBindings);
    }

    public boolean isBerth() {
        return BerthLabels.isBerth(labels);
    }

    public String taskId() {
        return labels.get(BerthLabels.TASK_ID);
    }

    /** The container's name in its task definition. */
    public String containerName() {
        return labels.get(BerthLabels.CONTAINER_NAME);
    }
}
