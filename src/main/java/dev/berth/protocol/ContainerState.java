package dev.berth.protocol;

import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.NetworkBinding;
import java.util.List;

/**
 * What the agent knows of one container of a task. {@code runtimeId} is the Docker id.
 * {@code healthStatus} is the result of the container's health check (null when it has none);
 * {@code restartCount} counts the in-place restarts of its {@code restartPolicy} (null when
 * it has none).
 */
public record ContainerState(
        String name,
        String runtimeId,
        String image,
        ContainerStatus lastStatus,
        Integer exitCode,
        String reason,
        List<NetworkBinding> networkBindings,
        HealthStatus healthStatus,
        Integer restartCount) {

    /** A container without a health check or a restart policy. */
    public ContainerState(String name, String runtimeId, String image, ContainerStatus lastStatus, Integer exitCode,
            String reason, List<NetworkBinding> networkBindings) {
        this(name, runtimeId, image, lastStatus, exitCode, reason, networkBindings, null, null);
    }
}
