package dev.berth.scheduler.messaging;

import dev.berth.protocol.Backoff;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetter;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Publishes berth.events on the leader, and only there: it reads the topics that hold every
 * change ECS reports ({@link #SOURCES}), folds them into a {@link Fold}, and writes the events
 * each record makes together with the records' positions in one transaction of the leader's
 * fenced producer ({@code sendOffsetsToTransaction}, group {@code <group id>-events}). The
 * committed positions are therefore exactly where the published events end: a new leader
 * resumes there, and a deposed one can neither publish nor move them.
 *
 * <p>Each leadership term starts a new fold: it replays every source partition from its
 * beginning up to the group's committed position without publishing (the fold then holds
 * what the previous leader held when it published its last event), pausing each partition as
 * it reaches its position, and only once all have reached theirs does it publish. A poll's
 * events and positions are one transaction. When a transaction fails, the fold holds records
 * whose events were not committed, so the term ends and the next one replays again. A record
 * the fold cannot take goes to berth.dead-letters in its poll's transaction, and the stream
 * carries on.
 */
public final class EventStream implements Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(EventStream.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** How often a follower looks whether it leads now. */
    private static final Duration IDLE = Duration.ofMillis(100);

    /** The topics whose changes become events: tasks, their reports, instances, their control, services. */
    public static final List<Topic> SOURCES = List.of(Topic.TASKS, Topic.TASK_EVENTS, Topic.INSTANCES,
            Topic.INSTANCE_CONTROL, Topic.SERVICES);

    /** A record of a source topic: its value null for a tombstone. */
    public record Source(Topic topic, String key, BerthRecord value, long timestamp) {
    }

    /** One record of berth.events. */
    public record Event(String key, byte[] value) {
    }

    /**
     * What a term folds the source records into. Deterministic: the same records in the same
     * order make the same events, byte for byte.
     */
    public interface Fold {
        /** Folds one record in and returns the events it makes, in order. */
        List<Event> apply(Source record);
    }

    private final KafkaClients clients;
    private final String groupId;
    private final Supplier<StateWriter> writers;
    private final Supplier<Supplier<Fold>> folds;
    private final Clock clock;
    private final RecordCodec codec = new RecordCodec();
    private final LeaderLoop loop = new LeaderLoop();
    private KafkaConsumer<String, byte[]> consumer;
    private StateWriter term;
    private Fold fold;
    /** The committed position per partition while the term replays; empty once it publishes. */
    private final Map<TopicPartition, Long> replayUntil = new HashMap<>();
    /**
     * Positions read past and not committed yet: a poll that derives no event (heartbeats, most
     * of the time) commits nothing at once; its positions go with the next poll's events, or
     * alone once {@link #POSITIONS_AT_MOST} has passed, so that the leader's writer is not
     * kept busy with transactions of positions alone. Records read again after a failover
     * derive no event again: the fold is rebuilt from the same records up to the same point.
     */
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();
    private static final Duration POSITIONS_AT_MOST = Duration.ofSeconds(5);
    private long lastCommit = System.nanoTime();
    /** When every source partition's position was last committed, quiet ones too; 0: not in this term yet. */
    private long lastRefresh;

    EventStream(KafkaClients clients, String groupId, Supplier<StateWriter> writers, Supplier<Supplier<Fold>> folds,
            Clock clock) {
        this.clients = clients;
        this.groupId = groupId;
        this.writers = writers;
        this.folds = folds;
        this.clock = clock;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(clients.settings().retryBackoff(), clients.settings().retryBackoffMax());
        while (loop.running()) {
            StateWriter writer = writers.get();
            Supplier<Fold> newFold = folds.get();
            if (writer == null || newFold == null) {
                stopConsuming();
                loop.pause(IDLE);
                continue;
            }
            try {
                if (writer != term) {
                    startTerm(writer, newFold.get());
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!loop.running() || writers.get() != term) {
                    stopConsuming();
                    continue;
                }
                if (!replayUntil.isEmpty()) {
                    replay(records);
                } else if ((!records.isEmpty() || refreshDue()) && !publish(records)) {
                    stopConsuming();
                    loop.pause(backoff.nextDelay());
                    continue;
                }
                backoff.reset();
            } catch (RuntimeException e) {
                LOGGER.warnf("Reading the sources of %s failed (%s); starting again from the committed positions",
                        Topic.EVENTS.name(clients.settings()), e.toString());
                stopConsuming();
                loop.pause(backoff.nextDelay());
            }
        }
        stopConsuming();
    }

    /** A new term replays every source partition from its beginning, publishing from the group's positions on. */
    private void startTerm(StateWriter writer, Fold newFold) {
        stopConsuming();
        consumer = clients.positionedConsumer("events", groupId);
        List<TopicPartition> partitions = LeaderLoop.partitions(consumer,
                SOURCES.stream().map(topic -> topic.name(clients.settings())).toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        replayUntil.clear();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata position = committed.get(partition);
            if (position == null) {
                continue;
            }
            long until = position.offset();
            long end = ends.getOrDefault(partition, until);
            if (until > end) {
                // The partition holds less than was published from it (recreated, or truncated
                // by an unclean leader election): replaying up to a position it never reaches
                // would hold every partition back for good. Which of its records were published
                // cannot be told, so it is published again from its beginning: a consumer drops
                // what it already had by version, where a record skipped would be a change lost.
                LOGGER.warnf("%s's committed position %d is past the end of %s (%d): publishing it again from its "
                        + "beginning", groupId, until, partition, end);
                continue;
            }
            if (until > consumer.position(partition)) {
                replayUntil.put(partition, until);
            }
        }
        List<TopicPartition> waiting = new ArrayList<>(partitions);
        waiting.removeAll(replayUntil.keySet());
        if (!replayUntil.isEmpty()) {
            consumer.pause(waiting);
        }
        fold = newFold;
        term = writer;
        LOGGER.infof("Publishing %s as the leader: replaying %d of %d source partitions up to group %s's positions",
                Topic.EVENTS.name(clients.settings()), replayUntil.size(), partitions.size(), groupId);
    }

    /** Folds records before the committed positions without publishing; a partition that reaches its position waits. */
    private void replay(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            Long until = replayUntil.get(partition);
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (until == null || record.offset() >= until) {
                    // From here on no event was published yet: read it again once every partition is replayed.
                    consumer.seek(partition, record.offset());
                    break;
                }
                fold(record, null);
            }
        }
        Set<TopicPartition> reached = new HashSet<>();
        replayUntil.forEach((partition, until) -> {
            if (consumer.position(partition) >= until) {
                reached.add(partition);
            }
        });
        for (TopicPartition partition : reached) {
            replayUntil.remove(partition);
            consumer.pause(List.of(partition));
        }
        if (replayUntil.isEmpty()) {
            consumer.resume(consumer.paused());
            LOGGER.infof("Replayed the sources of %s up to the last published positions: publishing",
                    Topic.EVENTS.name(clients.settings()));
        }
    }

    /** True when the poll's events and positions are committed. */
    private boolean publish(ConsumerRecords<String, byte[]> records) {
        List<StateChange> changes = new ArrayList<>();
        String events = Topic.EVENTS.name(clients.settings());
        for (ConsumerRecord<String, byte[]> record : inSourceOrder(records)) {
            for (Event event : fold(record, changes)) {
                changes.add(new StateChange.Publish(Topic.EVENTS, event.key(), event.value()));
            }
        }
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> some = records.records(partition);
            uncommitted.put(partition, some.get(some.size() - 1).offset() + 1);
        }
        boolean refresh = refreshDue();
        if (refresh) {
            // Every record polled is folded: a partition's position is where its events end.
            for (TopicPartition partition : consumer.assignment()) {
                uncommitted.putIfAbsent(partition, consumer.position(partition));
            }
        } else if (changes.isEmpty() && System.nanoTime() - lastCommit < POSITIONS_AT_MOST.toNanos()) {
            return true;
        }
        uncommitted.forEach((partition, next) -> changes.add(new StateChange.Consume(groupId, partition.topic(),
                partition.partition(), next)));
        try {
            term.commit(changes);
            uncommitted.clear();
            lastCommit = System.nanoTime();
            if (refresh) {
                lastRefresh = lastCommit;
            }
            return true;
        } catch (RuntimeException e) {
            // The writer's message is made for API callers; Kafka's own says what happened here.
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            if (loop.running()) {
                LOGGER.warnf("The events of %d source records were not committed to %s (%s); replaying from the "
                        + "committed positions", records.count(), events, why);
            } else {
                LOGGER.infof("Stopping: the events of %d source records were not committed to %s (%s); the next "
                        + "leader publishes them from the committed positions", records.count(), events, why);
            }
            return false;
        }
    }

    /**
     * Whether every source partition's position is due to be committed again: once a term
     * publishes, then every {@link ConsumedPositions#REFRESH}. Kafka expires a committed
     * position of this group (it has no members) a retention period (7 days by default) after
     * its last commit: a partition with no change for that long would otherwise lose it, and
     * the next term would publish that partition's whole history again.
     */
    private boolean refreshDue() {
        return lastRefresh == 0 || System.nanoTime() - lastRefresh >= ConsumedPositions.REFRESH.toNanos();
    }

    /**
     * A poll's records, topic by topic in the order of {@link #SOURCES}, each partition's in
     * its order. Partitions have no order between them, so this one is as true as any, and it
     * folds a task's desired record before the reports that its agent wrote after reading it:
     * a report folded first is no event of its own, only part of its desired record's.
     */
    private List<ConsumerRecord<String, byte[]>> inSourceOrder(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> ordered = new ArrayList<>(records.count());
        for (Topic topic : SOURCES) {
            String name = topic.name(clients.settings());
            for (TopicPartition partition : records.partitions()) {
                if (partition.topic().equals(name)) {
                    ordered.addAll(records.records(partition));
                }
            }
        }
        return ordered;
    }

    /**
     * The events of one record. A record the fold cannot take is set aside, never fatal: while
     * publishing, its dead letter joins {@code changes} (the term that published it did so while
     * replaying, so then {@code changes} is null and it is only skipped).
     */
    private List<Event> fold(ConsumerRecord<String, byte[]> record, List<StateChange> changes) {
        Topic topic = topicOf(record.topic());
        RecordCodec.Decoded decoded = codec.decode(record.value());
        BerthRecord value;
        if (decoded instanceof RecordCodec.Decoded.Record r) {
            value = r.value();
        } else if (decoded instanceof RecordCodec.Decoded.Tombstone) {
            value = null;
        } else {
            // Unknown types are skipped and poison is set aside by the state reader: neither is a change.
            return List.of();
        }
        try {
            return fold.apply(new Source(topic, record.key(), value, record.timestamp()));
        } catch (RuntimeException e) {
            if (changes == null) {
                LOGGER.debugf("Replaying %s-%d@%d (key %s), set aside before: %s", record.topic(), record.partition(),
                        record.offset(), record.key(), e.getMessage());
            } else {
                LOGGER.errorf(e, "No event derived from %s-%d@%d (key %s): set aside", record.topic(),
                        record.partition(), record.offset(), record.key());
                DeadLetter letter = new DeadLetter(BerthRecord.SCHEMA_VERSION, clock.millis(), record.topic(),
                        record.partition(), record.offset(), "No ECS event could be derived from it ("
                        + e.getClass().getSimpleName() + "); see the scheduler log.", groupId, null, false,
                        clock.instant());
                changes.add(new StateChange.Publish(Topic.DEAD_LETTERS, record.key(), codec.encode(letter)));
            }
            return List.of();
        }
    }

    private Topic topicOf(String name) {
        for (Topic topic : SOURCES) {
            if (topic.name(clients.settings()).equals(name)) {
                return topic;
            }
        }
        throw new IllegalStateException("not a source of berth.events: " + name);
    }

    private void stopConsuming() {
        term = null;
        fold = null;
        lastRefresh = 0;
        replayUntil.clear();
        uncommitted.clear();
        if (consumer != null) {
            LeaderLoop.closeNow(consumer, "events");
            consumer = null;
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
