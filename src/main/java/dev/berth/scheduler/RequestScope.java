package dev.berth.scheduler;

import dev.berth.protocol.ClientTokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The request of berth.requests that the current thread is carrying out, and its
 * {@link RequestTransaction}: every plan the thread writes meanwhile commits in the same
 * transaction as the request's answer. A plan that can be answered before it commits
 * (RunTask's, StartTask's) is deferred to the answer; any other is staged by the writer
 * ({@link #submit}). Every plan also carries the request's marker ({@code kafka-request/<id>}
 * on berth.client-tokens): should a plan ever commit apart from the answer (the writer split
 * the transaction), the fact that the request acted is in Kafka with it, and a redelivered
 * request never acts again, also on another replica after a failover.
 */
public final class RequestScope {

    private static final ThreadLocal<ClientTokenRecord> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<RequestTransaction> TRANSACTION = new ThreadLocal<>();

    private RequestScope() {
    }

    /** Runs {@code body} as the request that {@code marker} stands for, its plans joining {@code transaction}. */
    public static <T> T within(ClientTokenRecord marker, RequestTransaction transaction, Supplier<T> body) {
        ClientTokenRecord outer = CURRENT.get();
        RequestTransaction outerTransaction = TRANSACTION.get();
        CURRENT.set(marker);
        TRANSACTION.set(transaction);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
            if (outerTransaction == null) {
                TRANSACTION.remove();
            } else {
                TRANSACTION.set(outerTransaction);
            }
        }
    }

    /**
     * Writes a plan through {@code writer}: staged in the current request's transaction when
     * this thread carries one out (the future is then complete once the state shows the plan),
     * submitted on its own otherwise. Either way with the request's marker.
     */
    public static CompletableFuture<Void> submit(StateWriter writer, List<StateChange> changes) {
        RequestTransaction transaction = TRANSACTION.get();
        List<StateChange> tagged = tag(changes);
        return transaction == null ? writer.submit(tagged) : writer.stage(transaction, tagged);
    }

    /**
     * Before this thread waits for anything that the writer's next commit may be waiting for
     * (a lock whose holder waits for a commit, the plans in flight): the current request's
     * staged plans, if any, stop being held for its answer ({@link RequestTransaction#release}).
     */
    public static void release() {
        RequestTransaction transaction = TRANSACTION.get();
        if (transaction != null) {
            transaction.release();
        }
    }

    /** Waits for every plan in flight through {@code writer}, after {@linkplain #release releasing} the request's own. */
    public static void drain(StateWriter writer) {
        release();
        writer.drain();
    }

    /**
     * Hands a prepared plan to the current request's answer, when this thread carries out a
     * request; false otherwise (send the plan as usual).
     */
    static boolean defer(dev.berth.scheduler.plan.PlanApplier applier,
            dev.berth.scheduler.plan.PlanApplier.Prepared plan, Runnable onCommitted) {
        RequestTransaction transaction = TRANSACTION.get();
        if (transaction == null) {
            return false;
        }
        transaction.deferred().add(applier, plan, onCommitted);
        return true;
    }

    /** The plan, with the current request's marker when this thread carries one out. */
    static List<StateChange> tag(List<StateChange> changes) {
        ClientTokenRecord marker = CURRENT.get();
        if (marker == null || changes.isEmpty()) {
            return changes;
        }
        List<StateChange> tagged = new ArrayList<>(changes.size() + 1);
        tagged.addAll(changes);
        tagged.add(new StateChange.Put(marker));
        return tagged;
    }
}
