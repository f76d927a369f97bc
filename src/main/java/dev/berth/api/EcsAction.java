package dev.berth.api;

/**
 * One ECS operation: its name (the part of {@code X-Amz-Target} after the dot), the type its
 * JSON request is read into, and what it answers (serialized as the JSON response). Errors
 * are thrown as {@link dev.berth.scheduler.EcsException}.
 */
public interface EcsAction<Q> {

    String operation();

    Class<Q> requestType();

    Object handle(Q request);

    /**
     * Whether the operation changes state. Only the scheduler leader writes: another replica
     * forwards such a call to it.
     */
    default boolean isWrite() {
        return false;
    }
}
