package dev.berth.scheduler.messaging;

import dev.berth.scheduler.StateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer positions that the leader's transactions commit ({@code sendOffsetsToTransaction}).
 *
 * <p>A plain {@link StateChange.Consume} (the berth.events fold) commits in its plan's own
 * transaction. A position of records served side by side ({@link StateChange.Watermark}:
 * berth.requests) rides in a transaction at most once every {@code interval}; between two,
 * the positions that committed transactions reached wait here, and the committer sends them
 * when it is idle. A request cannot act twice because of this: the request's marker, which
 * names the record it answered, commits in the answer's own transaction, and a record read
 * again (after a failover, from a position that lagged) is answered from its marker, as the
 * records above a watermark always were. What a lagging position costs is those records read
 * again. What it saves is the offset commit in each transaction: a request to the group
 * coordinator, then its write, before the transaction may end, which on the benchmark's broker
 * added about 14 ms to the median request of berth.requests.
 *
 * <p>A position reached by a transaction that did not commit is never kept: it may pass a
 * record whose answer was not committed. Not thread-safe: the committer's thread alone.
 */
final class ConsumedPositions {

    /** How often berth.requests' position rides in a transaction at most. */
    static final Duration INTERVAL = Duration.ofSeconds(5);
    /**
     * How often the leader commits again the positions of partitions it read nothing from: a
     * group whose positions are only ever committed in transactions has no members, and Kafka
     * expires each of its positions {@code offsets.retention.minutes} (7 days by default) after
     * its last commit. Far below that, and one small transaction an hour.
     */
    static final Duration REFRESH = Duration.ofHours(1);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** Positions of side-by-side partitions that committed transactions reached, by group, not yet sent. */
    private final Map<String, Map<TopicPartition, Long>> waiting = new HashMap<>();
    private long lastSent;
    private boolean sentOnce;

    ConsumedPositions(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** What one transaction sends, and what to note once it has committed. */
    static final class Sending {
        private final Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets;
        private final List<Runnable> onCommitted;

        private Sending(Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets, List<Runnable> onCommitted) {
            this.offsets = offsets;
            this.onCommitted = onCommitted;
        }

        /** Adds the positions to the producer's open transaction, one call per group. */
        void send(Producer<?, ?> producer) {
            offsets.forEach((group, positions) -> producer.sendOffsetsToTransaction(positions,
                    new ConsumerGroupMetadata(group)));
        }

        /** The transaction committed. */
        void committed() {
            onCommitted.forEach(Runnable::run);
        }

        /** What {@link #send} sends, by group. */
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets() {
            return offsets;
        }
    }

    /**
     * The positions that a transaction consuming {@code consumed} sends: the furthest one per
     * partition of each plain consume, and for a side-by-side partition its watermark with the
     * transaction's answers counted, now or, if one rode less than the interval ago, with a
     * later transaction.
     */
    Sending of(List<StateChange.Consume> consumed) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new HashMap<>();
        Map<String, Map<TopicPartition, StateChange.Watermark>> watermarks = new HashMap<>();
        Map<String, Map<TopicPartition, Set<Long>>> answered = new HashMap<>();
        for (StateChange.Consume consume : consumed) {
            TopicPartition partition = new TopicPartition(consume.topic(), consume.partition());
            if (consume.watermark() == null) {
                offsets.computeIfAbsent(consume.groupId(), g -> new HashMap<>()).merge(partition,
                        new OffsetAndMetadata(consume.nextOffset()), (a, b) -> a.offset() >= b.offset() ? a : b);
            } else {
                watermarks.computeIfAbsent(consume.groupId(), g -> new HashMap<>())
                        .putIfAbsent(partition, consume.watermark());
                answered.computeIfAbsent(consume.groupId(), g -> new HashMap<>())
                        .computeIfAbsent(partition, p -> new HashSet<>()).add(consume.nextOffset() - 1);
            }
        }
        List<Runnable> onCommitted = new ArrayList<>();
        Map<String, Map<TopicPartition, Long>> reached = new HashMap<>();
        watermarks.forEach((group, partitions) -> partitions.forEach((partition, watermark) -> {
            Set<Long> offsetsAnswered = answered.get(group).get(partition);
            reached.computeIfAbsent(group, g -> new HashMap<>()).put(partition,
                    watermark.positionWith(offsetsAnswered));
            onCommitted.add(() -> watermark.committed(offsetsAnswered));
        }));
        if (!due() || (reached.isEmpty() && waiting.isEmpty())) {
            onCommitted.add(() -> keep(reached));
            return new Sending(offsets, onCommitted);
        }
        return withWaiting(offsets, reached, onCommitted);
    }

    /** A transaction of the positions that wait, once the interval has passed since one rode; else null. */
    Sending waitingIfDue() {
        if (waiting.isEmpty() || !due()) {
            return null;
        }
        return withWaiting(new HashMap<>(), Map.of(), new ArrayList<>());
    }

    private boolean due() {
        return !sentOnce || nanoTime.getAsLong() - lastSent >= intervalNanos;
    }

    /** Adds every waiting position (and those this transaction reaches) to what it sends. */
    private Sending withWaiting(Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets,
            Map<String, Map<TopicPartition, Long>> reached, List<Runnable> onCommitted) {
        Map<String, Map<TopicPartition, Long>> all = new HashMap<>();
        waiting.forEach((group, positions) -> all.put(group, new HashMap<>(positions)));
        reached.forEach((group, positions) -> positions.forEach((partition, position) -> all
                .computeIfAbsent(group, g -> new HashMap<>()).merge(partition, position, Math::max)));
        all.forEach((group, positions) -> positions.forEach((partition, position) -> offsets
                .computeIfAbsent(group, g -> new HashMap<>()).merge(partition, new OffsetAndMetadata(position),
                        (a, b) -> a.offset() >= b.offset() ? a : b)));
        onCommitted.add(() -> sent(all));
        return new Sending(offsets, onCommitted);
    }

    /** Positions a committed transaction reached without sending them: they wait for a later one. */
    private void keep(Map<String, Map<TopicPartition, Long>> reached) {
        reached.forEach((group, positions) -> positions.forEach((partition, position) -> waiting
                .computeIfAbsent(group, g -> new HashMap<>()).merge(partition, position, Math::max)));
    }

    /** The positions rode in a committed transaction: those no further on wait no more. */
    private void sent(Map<String, Map<TopicPartition, Long>> positions) {
        positions.forEach((group, partitions) -> {
            Map<TopicPartition, Long> left = waiting.get(group);
            if (left != null) {
                left.entrySet().removeIf(e -> e.getValue() <= partitions.getOrDefault(e.getKey(), -1L));
                if (left.isEmpty()) {
                    waiting.remove(group);
                }
            }
        });
        lastSent = nanoTime.getAsLong();
        sentOnce = true;
    }
}
