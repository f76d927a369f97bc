package dev.berth.scheduler.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.state.SchedulerState;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The scheduler's Kafka plumbing. {@link #start()} returns at once; a background thread
 * ensures the topics (retrying with backoff, one WARN per attempt), then a reader replays
 * the scheduler's topics from the beginning into the {@link SchedulerState}. The scheduler
 * is ready once that replay has reached the end of every partition.
 */
public final class SchedulerKafka implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SchedulerKafka.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** The state reader's name: its consumer's client id and its metrics' {@code reader} tag. */
    public static final String READER = "berth-scheduler-state";

    /** What the scheduler reads: all partitions of each. */
    public static final List<Topic> READ = List.of(Topic.CLUSTERS, Topic.TASK_DEFINITIONS, Topic.TASKS, Topic.TASK_EVENTS,
            Topic.INSTANCES);

    private final KafkaClients clients;
    private final SchedulerState state;
    private final Clock clock;
    private final RecordCodec codec = new RecordCodec();
    private volatile RecordPublisher publisher;
    private volatile StateWriter writer;
    private volatile TopicReader reader;
    private volatile boolean closed;
    private Thread connector;
    private Thread readerThread;

    public SchedulerKafka(KafkaSettings settings, SchedulerState state, Clock clock) {
        this.clients = new KafkaClients(settings, "berth-scheduler");
        this.state = state;
        this.clock = clock;
    }

    public synchronized void start() {
        connector = new Thread(this::connect, "berth-scheduler-kafka");
        connector.setDaemon(true);
        connector.start();
    }

    private void connect() {
        if (!new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))) {
            return;
        }
        RecordPublisher newPublisher = new RecordPublisher(clients, codec, "scheduler");
        Map<Topic, Function<Integer, List<Integer>>> partitions = new LinkedHashMap<>();
        for (Topic topic : READ) {
            partitions.put(topic, TopicReader.allPartitions());
        }
        TopicReader newReader = new TopicReader(READER, clients, codec,
                new DeadLetters(newPublisher, clock), partitions, new StateReplay());
        synchronized (this) {
            if (closed) {
                newPublisher.close();
                return;
            }
            publisher = newPublisher;
            writer = new KafkaStateWriter(newPublisher, state);
            reader = newReader;
            readerThread = new Thread(newReader, "berth-scheduler-state");
            readerThread.setDaemon(true);
            readerThread.start();
        }
    }

    /** True once the state has been rebuilt from every partition of the scheduler's topics. */
    public boolean isReady() {
        TopicReader current = reader;
        return current != null && current.isCaughtUp() && writer != null;
    }

    /** The reader that rebuilds the state, once Kafka has been reached. */
    public Optional<TopicReader> reader() {
        return Optional.ofNullable(reader);
    }

    /** The writer, once Kafka has been reached; null before. */
    public StateWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        closed = true;
        Thread starting;
        synchronized (this) {
            starting = connector;
        }
        if (starting != null) {
            starting.interrupt();
            join(starting);
        }
        synchronized (this) {
            shutDown();
        }
    }

    private void shutDown() {
        if (reader != null) {
            reader.close();
            join(readerThread);
        }
        if (publisher != null) {
            publisher.close();
        }
        reader = null;
        writer = null;
        publisher = null;
    }

    private static void join(Thread thread) {
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applies replayed records to the state; versions make the scheduler's own writes repeats. */
    private final class StateReplay implements TopicReader.Handler {
        @Override
        public void apply(Topic topic, String key, BerthRecord value) {
            state.apply(value);
        }

        @Override
        public void remove(Topic topic, String key) {
            state.remove(topic, key);
        }

        @Override
        public void caughtUp() {
            LOGGER.info("Scheduler state rebuilt from Kafka: ready");
        }
    }
}
