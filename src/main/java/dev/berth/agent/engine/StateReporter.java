package dev.berth.agent.engine;

import dev.berth.protocol.TaskStateChange;

/**
 * Where task workers hand their state changes. Must not block: the messaging side buffers
 * the changes (bounded, one per task) and sends them at least once.
 */
@FunctionalInterface
public interface StateReporter {

    /**
     * Takes the task's latest change.
     *
     * @return false when the change was not taken (the buffer is full, or the disk cannot keep
     *         it): the worker keeps it and reports again at its next sync
     */
    boolean report(TaskStateChange change);

    /** The task was tombstoned: its buffered change, if any, is dropped unsent. */
    default void forget(String taskId) {
    }

    /**
     * Whether Kafka has acknowledged every change of the task that {@link #report} took (or
     * none waits any more, the task being forgotten). A reporter that buffers nothing has
     * nothing waiting.
     */
    default boolean acknowledged(String taskId) {
        return true;
    }
}
