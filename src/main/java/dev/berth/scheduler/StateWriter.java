package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;

/**
 * The scheduler's only way to change state: write a record to its topic (a desired task to
 * the partition of its instance), wait for Kafka's acknowledgement, then apply it to the
 * in-memory state so the caller reads its own write. A write Kafka does not acknowledge
 * throws {@link EcsException} ({@code ServerException}) and changes nothing in memory.
 */
public interface StateWriter {

    void write(BerthRecord record);

    /**
     * Ends a task's life: tombstones its desired record (on its instance's partition) and its
     * state changes, so the compacted topics stay bounded, then drops it from the state.
     */
    default void forget(DesiredTask task) {
        throw new UnsupportedOperationException("this writer cannot write tombstones");
    }
}
