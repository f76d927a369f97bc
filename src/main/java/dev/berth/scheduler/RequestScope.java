package dev.berth.scheduler;

import dev.berth.protocol.ClientTokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request of berth.requests that the current thread is carrying out. A plan that can be
 * answered before it commits (RunTask's, StartTask's) is handed to the request's
 * {@link DeferredPlans} and committed with the answer, in one transaction. Every plan the
 * thread submits meanwhile carries the request's marker ({@code kafka-request/<id>} on
 * berth.client-tokens), in the plan's own transaction: once any of the request's changes is
 * in Kafka, so is the fact that the request acted, and a redelivered request never acts
 * again, also on another replica after a failover.
 */
public final class RequestScope {

    private static final ThreadLocal<ClientTokenRecord> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<DeferredPlans> DEFERRED = new ThreadLocal<>();

    private RequestScope() {
    }

    /**
     * Runs {@code body} as the request that {@code marker} stands for; the plans that can be
     * committed with the request's answer go to {@code deferred} instead of being sent.
     */
    public static <T> T within(ClientTokenRecord marker, DeferredPlans deferred, Supplier<T> body) {
        ClientTokenRecord outer = CURRENT.get();
        DeferredPlans outerDeferred = DEFERRED.get();
        CURRENT.set(marker);
        DEFERRED.set(deferred);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
            if (outerDeferred == null) {
                DEFERRED.remove();
            } else {
                DEFERRED.set(outerDeferred);
            }
        }
    }

    /**
     * Hands a prepared plan to the current request's answer, when this thread carries out a
     * request whose plans commit with its answer; false otherwise (send the plan as usual).
     */
    static boolean defer(dev.berth.scheduler.plan.PlanApplier applier,
            dev.berth.scheduler.plan.PlanApplier.Prepared plan, Runnable onCommitted) {
        DeferredPlans deferred = DEFERRED.get();
        if (deferred == null) {
            return false;
        }
        deferred.add(applier, plan, onCommitted);
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
