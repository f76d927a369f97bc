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
 * @param createdAt when the engine created the container; null when not known
 * @param health   the result of its health check; null when it has none
 * @param oomKilled whether the kernel killed it for using more than its memory limit
 * @param mounts   what is mounted into it, bind mounts and volumes, as the engine reports them
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
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        HealthStatus health,
        boolean oomKilled,
        List<Mount> mounts) {

    /**
     * A bind mount or a volume in the container.
     *
     * @param name        the volume's name; null for a bind mount
     * @param source      the host path: a bind mount's own, a volume's mountpoint on the host
     * @param destination the path inside the container
     */
    public record Mount(String name, String source, String destination) {
    }

    /** A container whose creation time and mounts are not known. */
    public RuntimeContainer(String id, String name, String image, String imageId, Map<String, String> labels,
            ContainerStatus status, Integer exitCode, String error, List<NetworkBinding> networkBindings,
            Instant startedAt, Instant finishedAt, HealthStatus health, boolean oomKilled) {
        this(id, name, image, imageId, labels, status, exitCode, error, networkBindings, null, startedAt, finishedAt,
                health, oomKilled, List.of());
    }

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
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
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
