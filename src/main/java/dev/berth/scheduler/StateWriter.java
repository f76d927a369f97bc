package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;

/**
 * The scheduler's only way to change state: write a record to its topic (a desired task to
 * the partition of its instance), wait for Kafka's acknowledgement, then apply it to the
 * in-memory state so the caller reads its own write. A write Kafka does not acknowledge
 * throws {@link EcsException} ({@code ServerException}) and changes nothing in memory.
 */
public interface StateWriter {

    void write(BerthRecord record);
}
