package dev.berth.agent.runtime;

import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.NetworkBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container as the engine reports it now.
 *
 * @param image    the image as the container was created from it (its name)
 * @param imageId  the engine's id of that image ({@code sha256:...}); null when not known
 * @param status   PENDING (created, not started), RUNNING (running, paused or restarting),
 *                 STOPPED (exited or dead)
 * @param exitCode set once STOPPED
 * @param error    the engine's own error for the container (e.g. why it could not start)
 * @param health   the result of its health check; null when it has none
 * @param oomKilled whether the kernel killed it for using more than its memory limit
 */
public record RuntimeContainer(
        String id,
        String name,
        String image,
        String imageId,
        Map<String, String> labels,
        ContainerStatus status,
        Integer exitCode,
        String error,
        List<NetworkBinding> networkBindings,
        Instant startedAt,
        Instant finishedAt,
        HealthStatus health,
        boolean oomKilled) {

    /** A container without a health check that was not killed for its memory, its image's id not known. */
    public RuntimeContainer(String id, String name, String image, Map<String, String> labels, ContainerStatus status,
            Integer exitCode, String error, List<NetworkBinding> networkBindings, Instant startedAt,
            Instant finishedAt) {
        this(id, name, image, null, labels, status, exitCode, error, networkBindings, startedAt, finishedAt, null,
                false);
    }

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
