package dev.berth.scheduler.plan;

import dev.berth.model.Resources;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.placement.FeasibilityCheck;
import dev.berth.scheduler.placement.PlacementStack;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Publishes a plan, Nomad style: each planned task is checked again against the latest
 * state of its instance (an agent may have gone quiet, a heartbeat may have shrunk its
 * capacity since placement) and only then written. Each write is applied to the state
 * before the next check, so the tasks of one plan account for each other.
 */
public final class PlanApplier {

    private static final Logger LOGGER = Logger.getLogger(PlanApplier.class);

    private final SchedulerState state;
    private final StateWriter writer;

    public PlanApplier(SchedulerState state, StateWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    public PlanOutcome apply(TaskPlan plan) {
        List<DesiredTask> published = new ArrayList<>();
        List<Rejection> refused = new ArrayList<>();
        for (DesiredTask task : plan.tasks()) {
            Optional<InstanceView> latest = state.instance(task.instanceId());
            Resources demand = TaskDemand.of(task.taskDefinition(), task.overrides());
            Rejection rejection = latest.isEmpty()
                    ? new Rejection(task.instanceId(), FeasibilityCheck.AGENT)
                    : PlacementStack.check(plan.cluster(), demand, latest.get().candidate());
            if (rejection != null) {
                LOGGER.infof("Task %s no longer fits instance %s (%s); not published", task.taskId(),
                        task.instanceId(), rejection.reason());
                refused.add(rejection);
                continue;
            }
            writer.write(task);
            published.add(task);
        }
        return new PlanOutcome(published, refused);
    }
}
