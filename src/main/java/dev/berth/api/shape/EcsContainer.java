package dev.berth.api.shape;

import dev.berth.model.NetworkBinding;
import java.util.List;

/** ECS {@code Container}: one container of a task. ECS sends cpu and memory as strings here. */
public record EcsContainer(
        String containerArn,
        String taskArn,
        String name,
        String image,
        String runtimeId,
        String lastStatus,
        Integer exitCode,
        String reason,
        List<NetworkBinding> networkBindings,
        String healthStatus,
        String cpu,
        String memory,
        String memoryReservation) {
}
