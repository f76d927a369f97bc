package dev.berth.model;

import java.util.List;
import java.util.Map;

/** The health of a container or a task, in ECS's words. */
public enum HealthStatus {
    HEALTHY,
    UNHEALTHY,
    UNKNOWN;

    /**
     * A task's health by ECS's rule: UNHEALTHY when any essential container is UNHEALTHY,
     * HEALTHY when every essential container that has a health check is HEALTHY (and there is
     * at least one), UNKNOWN otherwise. Containers without a health check do not count.
     *
     * @param containers the task definition's containers
     * @param health     each container's last known health by name; absent means UNKNOWN
     */
    public static HealthStatus ofTask(List<ContainerDefinition> containers, Map<String, HealthStatus> health) {
        boolean anyChecked = false;
        boolean allHealthy = true;
        for (ContainerDefinition container : containers) {
            if (!container.essentialOrDefault() || !ContainerSettings.hasHealthCheck(container)) {
                continue;
            }
            anyChecked = true;
            HealthStatus status = health.getOrDefault(container.name(), UNKNOWN);
            if (status == UNHEALTHY) {
                return UNHEALTHY;
            }
            allHealthy &= status == HEALTHY;
        }
        return anyChecked && allHealthy ? HEALTHY : UNKNOWN;
    }
}
