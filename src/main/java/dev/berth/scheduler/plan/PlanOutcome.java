package dev.berth.scheduler.plan;

import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.placement.Rejection;
import java.util.List;

/** What the applier published, and the plan entries the latest state no longer admitted. */
public record PlanOutcome(List<DesiredTask> published, List<Rejection> refused) {

    public PlanOutcome {
        published = List.copyOf(published);
        refused = List.copyOf(refused);
    }
}
