package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The scheduler's only way to change state. The changes of one plan are written as part of
 * one Kafka transaction of the leader's fenced producer: all of them or none. Once Kafka has
 * committed it, the changes are applied to the in-memory state, so the caller reads its own
 * write. Plans submitted while a transaction is in flight ride together in the next one
 * (group commit): they then succeed or fail together.
 *
 * <p>A commit that fails throws {@link EcsException} ({@code ServerException}) whose message
 * says whether the outcome is certain: "nothing was changed" only when the transaction was
 * aborted, "may or may not have been applied" when Kafka's answer was lost.
 */
public interface StateWriter {

    /** Submits a plan and waits until it is committed and applied. */
    default void commit(List<StateChange> changes) {
        await(submit(changes));
    }

    /**
     * Submits a plan without waiting: the future completes once Kafka has committed it and
     * the state holds it, or fails with an {@link EcsException}.
     */
    CompletableFuture<Void> submit(List<StateChange> changes);

    /**
     * Stages a plan of the request that {@code transaction} stands for: the future completes
     * once the state shows the plan, which then commits in the same transaction as the
     * request's answer ({@link #answer}). A writer that cannot stage commits the plan on its
     * own, as {@link #submit} does.
     */
    default CompletableFuture<Void> stage(RequestTransaction transaction, List<StateChange> changes) {
        return submit(changes);
    }

    /**
     * Submits a request's answer: in the transaction of the plans it staged, while this writer
     * holds them back; on its own otherwise.
     */
    default CompletableFuture<Void> answer(RequestTransaction transaction, List<StateChange> changes) {
        return submit(changes);
    }

    /** Waits until every plan submitted so far is committed or failed. */
    default void drain() {
    }

    default void write(BerthRecord record) {
        commit(List.of(new StateChange.Put(record)));
    }

    default void forget(DesiredTask task) {
        commit(List.of(new StateChange.Forget(task)));
    }

    /** Waits for a submitted plan, rethrowing its {@link EcsException} as it is. */
    static void await(CompletableFuture<Void> committed) {
        try {
            committed.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
