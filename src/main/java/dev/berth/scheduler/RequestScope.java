package dev.berth.scheduler;

import dev.berth.protocol.ClientTokenRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request of berth.requests that the current thread is carrying out. Every plan the
 * thread submits meanwhile carries the request's marker ({@code kafka-request/<id>} on
 * berth.client-tokens), in the plan's own transaction: once any of the request's changes is
 * in Kafka, so is the fact that the request acted, and a redelivered request never acts
 * again, also on another replica after a failover.
 */
public final class RequestScope {

    private static final ThreadLocal<ClientTokenRecord> CURRENT = new ThreadLocal<>();

    private RequestScope() {
    }

    /** Runs {@code body} as the request that {@code marker} stands for. */
    public static <T> T within(ClientTokenRecord marker, Supplier<T> body) {
        ClientTokenRecord outer = CURRENT.get();
        CURRENT.set(marker);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
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
