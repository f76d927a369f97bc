package dev.berth.scheduler.plan;

import dev.berth.model.Resources;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.FeasibilityCheck;
import dev.berth.scheduler.placement.PlacementStack;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Publishes a plan, Nomad style: each planned task is checked again against the latest
 * state of its instance (an agent may have gone quiet, a heartbeat may have shrunk its
 * capacity since placement), the tasks of the plan accounting for each other. What still
 * fits is written as one transaction, together with whatever the caller adds for the
 * outcome (a client token's record): all of it is published, or none.
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
        return apply(plan, outcome -> List.of());
    }

    /**
     * @param alongside what to write in the same transaction, given what will be published
     */
    public PlanOutcome apply(TaskPlan plan, Function<PlanOutcome, List<StateChange>> alongside) {
        PlanOutcome outcome = recheck(plan);
        List<StateChange> changes = new ArrayList<>();
        for (DesiredTask task : outcome.published()) {
            changes.add(new StateChange.Put(task));
        }
        changes.addAll(alongside.apply(outcome));
        if (!changes.isEmpty()) {
            writer.commit(changes);
        }
        return outcome;
    }

    private PlanOutcome recheck(TaskPlan plan) {
        List<DesiredTask> accepted = new ArrayList<>();
        List<Rejection> refused = new ArrayList<>();
        Map<String, Candidate> candidates = new HashMap<>();
        for (DesiredTask task : plan.tasks()) {
            Candidate candidate = candidates.computeIfAbsent(task.instanceId(),
                    id -> state.instance(id).map(InstanceView::candidate).orElse(null));
            Resources demand = TaskDemand.of(task.taskDefinition(), task.overrides());
            Rejection rejection = candidate == null
                    ? new Rejection(task.instanceId(), FeasibilityCheck.AGENT)
                    : PlacementStack.check(plan.cluster(), demand, candidate);
            if (rejection != null) {
                LOGGER.infof("Task %s no longer fits instance %s (%s); not published", task.taskId(),
                        task.instanceId(), rejection.reason());
                refused.add(rejection);
                continue;
            }
            candidates.put(task.instanceId(), candidate.take(demand));
            accepted.add(task);
        }
        return new PlanOutcome(accepted, refused);
    }
}
