package dev.berth.scheduler;

import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.plan.PlanApplier;
import dev.berth.scheduler.state.TaskView;
import java.util.ArrayList;
import java.util.List;

/**
 * The plans of a request of berth.requests that are committed with its answer, in one
 * transaction: the plan, the response and the request's position, all or nothing. An
 * operation whose answer follows from its plan alone (RunTask, StartTask: the tasks it places)
 * hands its prepared plan here instead of sending it, and answers at once from the plan. The
 * plans stay counted in flight (placement leaves their room alone) until {@link #finished}.
 *
 * <p>Confined to the thread that carries the request out.
 */
public final class DeferredPlans {

    private record Deferred(PlanApplier applier, PlanApplier.Prepared plan, Runnable onCommitted) {
    }

    private static final RecordCodec CODEC = new RecordCodec();

    private final List<Deferred> plans = new ArrayList<>();

    /**
     * The tasks of a plan as the state will show them once it is committed: each record as
     * Kafka will hold it, and no report yet (no agent can read a task before it is committed).
     */
    static List<TaskView> tasksAsStored(List<DesiredTask> published) {
        List<TaskView> tasks = new ArrayList<>(published.size());
        for (DesiredTask task : published) {
            if (!(CODEC.decode(CODEC.encode(task)) instanceof RecordCodec.Decoded.Record r
                    && r.value() instanceof DesiredTask stored)) {
                throw new IllegalStateException("a desired task does not survive its own codec");
            }
            tasks.add(TaskView.fold(stored, null));
        }
        return tasks;
    }

    void add(PlanApplier applier, PlanApplier.Prepared plan, Runnable onCommitted) {
        plans.add(new Deferred(applier, plan, onCommitted));
    }

    public boolean isEmpty() {
        return plans.isEmpty();
    }

    /** What the plans write, in the order they were made, to go in the answer's transaction. */
    public List<StateChange> changes() {
        List<StateChange> changes = new ArrayList<>();
        for (Deferred d : plans) {
            changes.addAll(d.plan().changes());
        }
        return changes;
    }

    /**
     * The answer's transaction is over: committed (the state holds the plans now), or not (none
     * of them was written). Either way they stop counting in flight.
     */
    public void finished(boolean committed) {
        for (Deferred d : plans) {
            d.applier().pending().release(d.plan().reservation());
            if (committed) {
                d.onCommitted().run();
            }
        }
        plans.clear();
    }
}
