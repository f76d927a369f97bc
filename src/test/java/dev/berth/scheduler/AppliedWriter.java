package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer without Kafka for unit tests: every plan commits at once and is applied to the
 * state, as the leader's writer does after Kafka's commit. It keeps the plans it committed.
 */
public final class AppliedWriter implements StateWriter {

    private final SchedulerState state;
    private final List<List<StateChange>> plans = new ArrayList<>();

    public AppliedWriter(SchedulerState state) {
        this.state = state;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> submit(List<StateChange> changes) {
        commit(changes);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void commit(List<StateChange> changes) {
        plans.add(List.copyOf(changes));
        for (StateChange change : changes) {
            if (change instanceof StateChange.Put put) {
                state.apply(put.record());
            } else if (change instanceof StateChange.Forget forget) {
                state.forget(forget.task());
            } else if (change instanceof StateChange.ForgetClientToken token) {
                state.remove(Topic.CLIENT_TOKENS, token.key());
            } else if (change instanceof StateChange.ForgetAccountSetting setting) {
                state.remove(Topic.ACCOUNT_SETTINGS, setting.key());
            } else if (change instanceof StateChange.ForgetReport report) {
                state.remove(Topic.TASK_EVENTS, report.taskId());
            }
        }
    }

    /** Every committed plan, one list of changes per transaction. */
    public List<List<StateChange>> plans() {
        return plans;
    }

    /** The records written, in order, over every plan. */
    public List<BerthRecord> written() {
        List<BerthRecord> records = new ArrayList<>();
        for (List<StateChange> plan : plans) {
            for (StateChange change : plan) {
                if (change instanceof StateChange.Put put) {
                    records.add(put.record());
                }
            }
        }
        return records;
    }
}
