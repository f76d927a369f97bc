package dev.berth.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads topics from the beginning on every start and hands each record to a
 * {@link Handler}: this is how a role rebuilds its state from Kafka. It reads without a
 * consumer group, from the partitions it is told (all of a topic's, or one: an agent's
 * partition of berth.tasks), so there is nothing to commit: a restart reads again, and
 * versions make repeats harmless. After a lost connection it resumes each partition from
 * the position it had reached, so a reconnect never replays records over a state that has
 * already moved past them (a partition it had not read yet starts from the beginning).
 *
 * <p>Poison never stops it: a value that cannot be decoded, or that the handler cannot
 * apply, goes to berth.dead-letters with the reason, and reading carries on. When Kafka
 * cannot be reached it logs once per attempt and retries with backoff.
 */
public final class TopicReader implements Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(TopicReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** Below this many records a poll is decoded on the reader's thread: forking costs more. */
    private static final int PARALLEL_DECODE_FROM = 256;

    /** Applies records. Called on the reader's thread only. */
    public interface Handler {
        void apply(Topic topic, String key, BerthRecord value) throws Exception;

        /**
         * Applies a record with its Kafka timestamp (the log-append time on topics that keep
         * it) and whether the reader had caught up when it arrived.
         */
        default void apply(Topic topic, String key, BerthRecord value, long timestamp, boolean live)
                throws Exception {
            apply(topic, key, value);
        }

        /** A tombstone: the entity with this key is gone. */
        default void remove(Topic topic, String key) throws Exception {
        }

        /** Called once, when every partition has been read up to its end at start-up. */
        default void caughtUp() {
        }

        /**
         * Every partition has been read up to the end it had at {@code asOf}, by the clock given to
         * the reader: called about every second while the reader keeps up, and only for a reader
         * given a clock for it ({@link EndProbe}).
         */
        default void readToEnd(Instant asOf) {
        }
    }

    private final String name;
    private final KafkaClients clients;
    private final RecordCodec codec;
    private final DeadLetters deadLetters;
    private final Map<Topic, Function<Integer, List<Integer>>> partitionsByTopic;
    private final Handler handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Released by {@link #close()}, so a reader waiting out a backoff stops at once. */
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean caughtUp;
    /** Wall-clock time of the last turn of the read loop (a poll or an attempt to reach Kafka). */
    private volatile Instant lastTick;
    /** Records behind the end of each topic, as of the last poll; read by other threads. */
    private volatile Map<Topic, Long> lag = Map.of();
    /** The next offset to read in each assigned partition, as of the last poll; read by other threads. */
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private final Clock clock = Clock.systemUTC();
    /** The handler's clock, for {@link Handler#readToEnd}; null: the reader does not ask for its ends. */
    private final Clock endClock;

    /**
     * @param partitionsByTopic for each topic, which of its partitions to read, given the
     *                          topic's partition count
     */
    public TopicReader(String name, KafkaClients clients, RecordCodec codec, DeadLetters deadLetters,
            Map<Topic, Function<Integer, List<Integer>>> partitionsByTopic, Handler handler) {
        this(name, clients, codec, deadLetters, partitionsByTopic, handler, null);
    }

    /**
     * @param endClock the handler's clock: the reader tells the handler, by it, when it has read
     *                 to the end ({@link Handler#readToEnd})
     */
    public TopicReader(String name, KafkaClients clients, RecordCodec codec, DeadLetters deadLetters,
            Map<Topic, Function<Integer, List<Integer>>> partitionsByTopic, Handler handler, Clock endClock) {
        this.endClock = endClock;
        this.name = name;
        this.clients = clients;
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.partitionsByTopic = partitionsByTopic;
        this.handler = handler;
    }

    /** Every partition of the topic. */
    public static Function<Integer, List<Integer>> allPartitions() {
        return count -> {
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                all.add(p);
            }
            return all;
        };
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    public String name() {
        return name;
    }

    /** The topics this reader reads. */
    public Set<Topic> topics() {
        return partitionsByTopic.keySet();
    }

    /**
     * When the read loop last turned: after each poll, and after each failed attempt to reach
     * Kafka. Empty before {@link #run()} starts. A loop that stops turning is stuck.
     */
    public Optional<Instant> lastTick() {
        return Optional.ofNullable(lastTick);
    }

    /**
     * How many records each topic's assigned partitions are behind their end offsets (end
     * offset minus position), as of the last poll. A topic is absent until Kafka has told the
     * consumer its end offsets. Safe to call from any thread: it never touches the consumer.
     */
    public Map<Topic, Long> lag() {
        return lag;
    }

    /**
     * The next offset this reader will read in each of its partitions, as of its last poll:
     * everything below it has been handed to the handler. Safe to call from any thread.
     */
    public Map<TopicPartition, Long> positions() {
        return positions;
    }

    /** Whether every partition named has been read up to (not including) the offset given. */
    public boolean hasReached(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> reached = positions;
        for (var offset : offsets.entrySet()) {
            Long position = reached.get(offset.getKey());
            if (offset.getValue() > 0 && (position == null || position < offset.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void run() {
        KafkaSettings settings = clients.settings();
        Backoff backoff = new Backoff(settings.retryBackoff(), settings.retryBackoffMax());
        while (running.get()) {
            lastTick = clock.instant();
            try (KafkaConsumer<String, byte[]> c = clients.consumer(name)) {
                consumer = c;
                List<TopicPartition> assigned = assign(c);
                Map<TopicPartition, Long> ends = c.endOffsets(assigned);
                backoff.reset();
                readUntilClosed(c, ends);
            } catch (WakeupException e) {
                if (running.get()) {
                    LOGGER.debugf("%s woken up while running", name);
                }
            } catch (RuntimeException e) {
                if (!running.get()) {
                    break;
                }
                LOGGER.warnf("%s cannot read from Kafka at %s (%s); retrying", name, settings.bootstrapServers(),
                        e.getMessage());
                if (!pauseUnlessClosed(backoff)) {
                    break;
                }
            } finally {
                consumer = null;
            }
        }
    }

    /** Waits for the next delay; false when closed or interrupted meanwhile (stop trying). */
    private boolean pauseUnlessClosed(Backoff backoff) {
        try {
            return !closed.await(backoff.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<TopicPartition> assign(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> assigned = new ArrayList<>();
        for (var entry : partitionsByTopic.entrySet()) {
            String topic = entry.getKey().name(clients.settings());
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist yet");
            }
            for (int p : entry.getValue().apply(infos.size())) {
                assigned.add(new TopicPartition(topic, p));
            }
        }
        c.assign(assigned);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : assigned) {
            Long resume = positions.get(partition);
            if (resume == null) {
                fromStart.add(partition);
            } else {
                c.seek(partition, resume);
            }
        }
        c.seekToBeginning(fromStart);
        return assigned;
    }

    /**
     * Polls, decodes and applies until closed. A large poll (a replay) is decoded on the
     * common pool while this thread applies the poll before it, so decoding and applying run
     * side by side; small polls are decoded and applied at once. The positions, lag and
     * catching up published for a poll are those the consumer had right after it, made
     * visible only once its records have all been handed to the handler.
     */
    private void readUntilClosed(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
        Map<String, Topic> topicsByName = new HashMap<>();
        for (Topic topic : partitionsByTopic.keySet()) {
            topicsByName.put(topic.name(clients.settings()), topic);
        }
        Poll decoding = null;
        EndProbe probe = endClock == null ? null : new EndProbe(endClock);
        while (running.get()) {
            ConsumerRecords<String, byte[]> polled = c.poll(decoding == null ? POLL : Duration.ZERO);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(polled.count());
            polled.forEach(records::add);
            Poll next = new Poll(records, positionsOf(c), measureLag(c, topicsByName));
            if (records.size() >= PARALLEL_DECODE_FROM) {
                next.decodeAside(codec);
            }
            if (decoding != null) {
                applyAndPublish(decoding, topicsByName, ends);
            }
            decoding = null;
            if (next.isDecodingAside()) {
                decoding = next;
            } else {
                next.decodeHere(codec);
                applyAndPublish(next, topicsByName, ends);
            }
            lastTick = clock.instant();
            if (probe != null) {
                probe.afterPoll(c, positions, handler, name);
            }
        }
    }

    private void applyAndPublish(Poll poll, Map<String, Topic> topicsByName, Map<TopicPartition, Long> ends) {
        RecordCodec.Decoded[] decoded = poll.decoded();
        for (int i = 0; i < poll.records.size(); i++) {
            ConsumerRecord<String, byte[]> record = poll.records.get(i);
            handle(topicsByName.get(record.topic()), record, decoded[i]);
        }
        lag = poll.lag;
        positions = poll.positions;
        if (!caughtUp && reachedEnd(poll.positions, ends)) {
            caughtUp = true;
            LOGGER.infof("%s has read its topics up to the end: state rebuilt", name);
            handler.caughtUp();
        }
    }

    /** One poll's records, their decoding (here or aside), and the consumer's positions right after it. */
    private static final class Poll {
        private final List<ConsumerRecord<String, byte[]>> records;
        private final Map<TopicPartition, Long> positions;
        private final Map<Topic, Long> lag;
        private Decoding aside;
        private RecordCodec.Decoded[] decoded;

        Poll(List<ConsumerRecord<String, byte[]>> records, Map<TopicPartition, Long> positions, Map<Topic, Long> lag) {
            this.records = records;
            this.positions = positions;
            this.lag = lag;
        }

        /** Starts decoding on the common pool while the reader's thread goes on. */
        void decodeAside(RecordCodec codec) {
            aside = new Decoding(records, codec);
            aside.start();
        }

        boolean isDecodingAside() {
            return aside != null;
        }

        void decodeHere(RecordCodec codec) {
            decoded = new RecordCodec.Decoded[records.size()];
            for (int i = 0; i < decoded.length; i++) {
                decoded[i] = codec.decode(records.get(i).value());
            }
        }

        /** The decoded records; the reader's thread helps with a decoding aside that is not done. */
        RecordCodec.Decoded[] decoded() {
            return decoded != null ? decoded : aside.finish();
        }
    }

    /**
     * Decodes a poll in chunks that the common pool's threads and, once it has applied the poll
     * before, the reader's own thread take in turn. The codec turns bad records into poison;
     * should it throw all the same (an error of the JVM), every chunk still counts as done and
     * the reader's thread rethrows, so it never waits for a chunk that will not come.
     */
    private static final class Decoding {
        private static final int CHUNK = 128;
        private final List<ConsumerRecord<String, byte[]>> records;
        private final RecordCodec codec;
        private final RecordCodec.Decoded[] decoded;
        private final AtomicInteger nextChunk = new AtomicInteger();
        private final CountDownLatch chunksLeft;
        private volatile Throwable failure;

        Decoding(List<ConsumerRecord<String, byte[]>> records, RecordCodec codec) {
            this.records = records;
            this.codec = codec;
            this.decoded = new RecordCodec.Decoded[records.size()];
            this.chunksLeft = new CountDownLatch((records.size() + CHUNK - 1) / CHUNK);
        }

        void start() {
            int helpers = (int) Math.min(ForkJoinPool.getCommonPoolParallelism(), chunksLeft.getCount());
            for (int i = 0; i < helpers; i++) {
                ForkJoinPool.commonPool().execute(this::work);
            }
        }

        private void work() {
            for (int chunk = nextChunk.getAndIncrement(); chunk * CHUNK < decoded.length;
                    chunk = nextChunk.getAndIncrement()) {
                int end = Math.min(decoded.length, (chunk + 1) * CHUNK);
                try {
                    for (int i = chunk * CHUNK; i < end; i++) {
                        decoded[i] = codec.decode(records.get(i).value());
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    chunksLeft.countDown();
                }
            }
        }

        RecordCodec.Decoded[] finish() {
            work();
            boolean interrupted = false;
            while (true) {
                try {
                    chunksLeft.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable failed = failure;
            if (failed instanceof Error error) {
                throw error;
            } else if (failed != null) {
                throw new IllegalStateException("decoding a poll failed: " + failed, failed);
            }
            return decoded;
        }
    }

    /** Consumer-local: no request to Kafka, the end offsets come with the fetch responses. */
    private static Map<Topic, Long> measureLag(KafkaConsumer<String, byte[]> c, Map<String, Topic> topicsByName) {
        Map<Topic, Long> byTopic = new EnumMap<>(Topic.class);
        for (TopicPartition partition : c.assignment()) {
            OptionalLong behind = c.currentLag(partition);
            if (behind.isPresent()) {
                byTopic.merge(topicsByName.get(partition.topic()), behind.getAsLong(), Long::sum);
            }
        }
        return Map.copyOf(byTopic);
    }

    /** Consumer-local once each partition has a position (after the first poll). */
    private static Map<TopicPartition, Long> positionsOf(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, Long> byPartition = new HashMap<>();
        for (TopicPartition partition : c.assignment()) {
            byPartition.put(partition, c.position(partition));
        }
        return Map.copyOf(byPartition);
    }

    static boolean reachedEnd(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            Long position = positions.get(end.getKey());
            if (position == null || position < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void handle(Topic topic, ConsumerRecord<String, byte[]> record, RecordCodec.Decoded decoded) {
        try {
            if (decoded instanceof RecordCodec.Decoded.Record r) {
                handler.apply(topic, record.key(), r.value(), record.timestamp(), caughtUp);
            } else if (decoded instanceof RecordCodec.Decoded.Tombstone) {
                handler.remove(topic, record.key());
            } else if (decoded instanceof RecordCodec.Decoded.Poison p) {
                deadLetters.setAside(record, p.reason(), name);
            } else {
                LOGGER.debugf("%s skips a record of an unknown type at %s-%d@%d", name, record.topic(),
                        record.partition(), record.offset());
            }
        } catch (Exception e) {
            deadLetters.setAside(record, "cannot apply: " + e, name);
        }
    }

    @Override
    public void close() {
        running.set(false);
        closed.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
