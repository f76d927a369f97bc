package dev.berth.scheduler.messaging;

import java.util.HashMap;
import dev.berth.scheduler.StateChange;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The positions that records served side by side may commit: per partition, the offsets read
 * and not yet answered. A transaction of answers reaches its partition's watermark, the lowest
 * such offset other than those it answers (or, with none, the offset after the last one read),
 * which the writer commits in that transaction or, once it has committed, in a later one
 * ({@link ConsumedPositions}); so a committed position never passes a record whose answer is
 * not committed, and since the writer asks for it as it builds each transaction, in order, and
 * says when each committed, the positions only grow. Thread-safe.
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
     * The position to commit with the answers of the records at {@code offsets}: everything
     * below it is answered, or is one of them.
     */
    synchronized long positionWith(TopicPartition partition, Set<Long> offsets) {
        long after = offsets.stream().mapToLong(o -> o + 1).max().orElse(0);
        Partition p = partitions.get(partition);
        if (p == null) {
            return after;
        }
        for (long open : p.open) {
            if (!offsets.contains(open)) {
                return open;
            }
        }
        return Math.max(p.next, after);
    }

    /** The records' answers are committed: they hold the watermark no more. */
    synchronized void answered(TopicPartition partition, Set<Long> offsets) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.removeAll(offsets);
        }
    }

    /** The partition as the writer sees it, to ask for the position when it builds a transaction. */
    StateChange.Watermark of(TopicPartition partition) {
        return new StateChange.Watermark() {
            @Override
            public long positionWith(Set<Long> offsets) {
                return Watermarks.this.positionWith(partition, offsets);
            }

            @Override
            public void committed(Set<Long> offsets) {
                answered(partition, offsets);
            }
        };
    }

    /** Whether a record of the partition was read this term. */
    synchronized boolean knows(TopicPartition partition) {
        return partitions.containsKey(partition);
    }

    /**
     * The position after the last record read from the partition when every record read is
     * answered and committed; null while one is not, or when none was read.
     */
    synchronized Long settled(TopicPartition partition) {
        Partition p = partitions.get(partition);
        return p == null || !p.open.isEmpty() ? null : p.next;
    }

    /** Forgets every partition: a new term reads from the committed positions. */
    synchronized void clear() {
        partitions.clear();
    }
}
