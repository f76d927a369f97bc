package dev.berth.api.shape;

import dev.berth.model.NetworkBinding;
import java.util.List;

/**
 * ECS {@code Container}: one container of a task. ECS sends cpu and memory as strings here;
 * {@code networkInterfaces} is always empty (no awsvpc).
 */
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
        List<Object> networkInterfaces,
        String healthStatus,
        String cpu,
        String memory,
        String memoryReservation) {
}
