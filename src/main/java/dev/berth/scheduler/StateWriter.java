package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import java.util.List;

/**
 * The scheduler's only way to change state. {@link #commit} writes the changes of one plan
 * as one Kafka transaction of the leader's fenced producer: all of them or none. Once Kafka
 * has committed it, the changes are applied to the in-memory state, so the caller reads its
 * own write.
 *
 * <p>A commit that fails throws {@link EcsException} ({@code ServerException}) whose message
 * says whether the outcome is certain: "nothing was changed" only when the transaction was
 * aborted, "may or may not have been applied" when Kafka's answer was lost.
 */
public interface StateWriter {

    void commit(List<StateChange> changes);

    default void write(BerthRecord record) {
        commit(List.of(new StateChange.Put(record)));
    }

    default void forget(DesiredTask task) {
        commit(List.of(new StateChange.Forget(task)));
    }
}
