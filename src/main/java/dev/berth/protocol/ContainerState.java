package dev.berth.protocol;

import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import java.util.List;

/** What the agent knows of one container of a task. {@code runtimeId} is the Docker id. */
public record ContainerState(
        String name,
        String runtimeId,
        String image,
        ContainerStatus lastStatus,
        Integer exitCode,
        String reason,
        List<NetworkBinding> networkBindings) {
}
