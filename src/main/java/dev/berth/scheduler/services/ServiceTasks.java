package dev.berth.scheduler.services;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerSettings;
import dev.berth.model.HealthStatus;
import dev.berth.model.StopCode;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How the service scheduler judges one of a service's tasks. */
final class ServiceTasks {

    /**
     * Which tasks to stop first when there are too many: those not healthy, then the newest
     * (they have served least), then by id for a stable order.
     */
    static final Comparator<TaskView> LEAST_USEFUL_FIRST = Comparator
            .comparing((TaskView t) -> isHealthy(t) ? 1 : 0)
            .thenComparing((TaskView t) -> t.desired().createdAt() == null ? Instant.EPOCH : t.desired().createdAt(),
                    Comparator.reverseOrder())
            .thenComparing(TaskView::taskId);

    private ServiceTasks() {
    }

    /**
     * Sorts the tasks as {@link #LEAST_USEFUL_FIRST} orders them, judging each task once
     * rather than at every comparison (a rollout step sorts thousands of tasks).
     */
    static void sortLeastUsefulFirst(List<TaskView> tasks) {
        record Judged(TaskView task, int healthy, Instant createdAt) {
        }
        List<Judged> judged = new ArrayList<>(tasks.size());
        for (TaskView task : tasks) {
            judged.add(new Judged(task, isHealthy(task) ? 1 : 0,
                    task.desired().createdAt() == null ? Instant.EPOCH : task.desired().createdAt()));
        }
        judged.sort(Comparator.comparingInt(Judged::healthy)
                .thenComparing(Judged::createdAt, Comparator.reverseOrder())
                .thenComparing(j -> j.task().taskId()));
        tasks.clear();
        for (Judged j : judged) {
            tasks.add(j.task());
        }
    }

    /**
     * Healthy as ECS's deployments count it: RUNNING, and HEALTHY when an essential container
     * has a health check.
     */
    static boolean isHealthy(TaskView task) {
        if (!task.isRunning()) {
            return false;
        }
        for (ContainerDefinition c : task.desired().taskDefinition().containers()) {
            if (c.essentialOrDefault() && ContainerSettings.hasHealthCheck(c)) {
                return task.healthStatus() == HealthStatus.HEALTHY;
            }
        }
        return true;
    }

    /**
     * Running, and reported UNHEALTHY by the health check of an essential container: the
     * service scheduler stops it and starts another, as ECS does (HealthCheck: "if the task
     * reports as unhealthy then the task will be stopped and the service scheduler will
     * replace it").
     */
    static boolean isUnhealthy(TaskView task) {
        return task.isRunning() && task.healthStatus() == HealthStatus.UNHEALTHY;
    }

    /** A task that stopped on its own because it failed: it counts in its deployment's failedTasks. */
    static boolean isFailure(TaskView task) {
        String code = task.stopCode();
        return StopCode.TaskFailedToStart.name().equals(code) || StopCode.EssentialContainerExited.name().equals(code)
                || task.startedAt() == null;
    }
}
