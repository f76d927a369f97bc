package dev.berth.scheduler.plan;

import dev.berth.protocol.DesiredTask;
import java.util.List;

/** The desired tasks one call wants to publish, each already assigned to an instance. */
public record TaskPlan(String cluster, List<DesiredTask> tasks) {

    public TaskPlan {
        tasks = List.copyOf(tasks);
    }
}
