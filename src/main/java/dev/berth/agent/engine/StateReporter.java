package dev.berth.agent.engine;

import dev.berth.protocol.TaskStateChange;

/**
 * Where task workers hand their state changes. Must not block: the messaging side buffers
 * the changes in order and sends them at least once.
 */
@FunctionalInterface
public interface StateReporter {
    void report(TaskStateChange change);
}
