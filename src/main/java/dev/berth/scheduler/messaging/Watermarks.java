package dev.berth.scheduler.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The positions that records served side by side may commit: per partition, the offsets read
 * and not yet answered. A record's answer commits its partition's watermark, the lowest such
 * offset other than its own (or, with none, the offset after the last one read), so a committed
 * position never passes a record whose answer is not committed. Thread-safe.
 */
final class Watermarks {

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    private static final class Partition {
        private final TreeSet<Long> open = new TreeSet<>();
        private long next;
    }

    /** A record was read and handed over: it holds its partition's watermark until answered. */
    synchronized void read(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        p.open.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /**
     * The position to commit with the answer of the record at {@code offset}: everything below
     * it is answered, or is this record.
     */
    synchronized long positionAfter(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p == null) {
            return offset + 1;
        }
        for (long open : p.open) {
            if (open != offset) {
                return open;
            }
        }
        return Math.max(p.next, offset + 1);
    }

    /** The record's answer is committed: it holds the watermark no more. */
    synchronized void answered(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** Forgets every partition: a new term reads from the committed positions. */
    synchronized void clear() {
        partitions.clear();
    }
}
