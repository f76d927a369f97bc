package dev.berth.scheduler.plan;

import dev.berth.protocol.DesiredTask;
import java.util.List;

/**
 * The desired tasks one call wants to publish, each already assigned to an instance.
 * {@code drainingRefused}: the re-check refuses an instance set DRAINING since the plan was
 * placed (a service's pass, which places under its own lock, not under the one that
 * UpdateContainerInstancesState takes); a StartTask names its instances itself.
 */
public record TaskPlan(String cluster, List<DesiredTask> tasks, boolean drainingRefused) {

    public TaskPlan {
        tasks = List.copyOf(tasks);
    }

    public TaskPlan(String cluster, List<DesiredTask> tasks) {
        this(cluster, tasks, false);
    }
}
