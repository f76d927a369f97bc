package dev.berth.scheduler.messaging;

import dev.berth.messaging.LeaderElection;
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
import dev.berth.scheduler.SchedulerObserver;
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
 * the scheduler's topics from the beginning into the {@link SchedulerState}, and the replica
 * joins the leader election. Every replica reads; only the elected one, once it has fenced
 * the previous leader and caught up, gets a {@link #writer()}. The replica is ready to
 * answer reads once the replay has reached the end of every partition.
 */
public final class SchedulerKafka implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SchedulerKafka.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TAKE_OVER_POLL = Duration.ofMillis(20);

    /** The state reader's name: its consumer's client id and its metrics' {@code reader} tag. */
    public static final String READER = "berth-scheduler-state";

    /** What the scheduler reads: all partitions of each. */
    public static final List<Topic> READ = List.of(Topic.CLUSTERS, Topic.TASK_DEFINITIONS, Topic.SERVICES, Topic.TASKS,
            Topic.TASK_EVENTS,
            Topic.INSTANCES, Topic.INSTANCE_CONTROL, Topic.SCHEDULER_LEADER, Topic.CLIENT_TOKENS, Topic.ACCOUNT_SETTINGS);

    /** How this replica takes part in the election. */
    public record Election(String groupId, Duration sessionTimeout, String replicaId, String apiUrl,
            String transactionalId, Duration transactionTimeout) {
    }

    private final KafkaClients clients;
    private final SchedulerState state;
    private final Clock clock;
    private final Election election;
    private final RecordCodec codec = new RecordCodec();
    private volatile RecordPublisher publisher;
    private volatile TopicReader reader;
    private volatile Leadership leadership;
    private volatile LeaderElection elector;
    private volatile RequestConsumer requests;
    private Thread requestsThread;
    private volatile java.util.function.Supplier<RequestConsumer.Handler> requestHandler = () -> null;
    private volatile EventStream events;
    private volatile java.util.function.Supplier<java.util.function.Supplier<EventStream.Fold>> eventFolds = () -> null;
    private volatile boolean closed;
    /** Set when the start-up thread failed: liveness reports it. */
    private volatile String startFailure;
    private Thread connector;
    private final List<Thread> threads = new java.util.ArrayList<>();
    private final SchedulerObserver observer;

    public SchedulerKafka(KafkaSettings settings, SchedulerState state, Clock clock, Election election,
            SchedulerObserver observer) {
        this.clients = new KafkaClients(settings, "berth-scheduler");
        this.state = state;
        state.expectReader();
        this.clock = clock;
        this.election = election;
        this.observer = observer;
    }

    public synchronized void start() {
        connector = new Thread(this::connect, "berth-scheduler-kafka");
        connector.setDaemon(true);
        connector.start();
    }

    private void connect() {
        try {
            connectAndStart();
        } catch (RuntimeException e) {
            // The start-up thread would die with nothing started and liveness UP: say so instead.
            startFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOGGER.errorf(e, "The scheduler cannot start (%s); it serves nothing until it is restarted",
                    e.getMessage());
        }
    }

    /** Why the scheduler's Kafka side could not start, when it could not. */
    public java.util.Optional<String> startFailure() {
        return java.util.Optional.ofNullable(startFailure);
    }

    private void connectAndStart() {
        if (!new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))) {
            return;
        }
        RecordPublisher newPublisher = new RecordPublisher(clients, codec, "scheduler");
        Map<Topic, Function<Integer, List<Integer>>> partitions = new LinkedHashMap<>();
        for (Topic topic : READ) {
            partitions.put(topic, TopicReader.allPartitions());
        }
        TopicReader newReader = new TopicReader(READER, clients, codec,
                new DeadLetters(newPublisher, clock), partitions, new StateReplay(), clock);
        Leadership newLeadership = new Leadership(clients, state, newReader, READ,
                new Leadership.Replica(election.replicaId(), election.apiUrl(), election.transactionalId(),
                        election.transactionTimeout()), clock, observer);
        LeaderElection newElector = new LeaderElection(clients, Topic.SCHEDULER_LEADER.name(clients.settings()),
                election.groupId(), election.replicaId(), election.sessionTimeout(), newLeadership);
        newLeadership.attach(newElector);
        RequestConsumer newRequests = new RequestConsumer(clients, requestGroupId(), newLeadership::writer,
                () -> requestHandler.get(), clock);
        EventStream newEvents = new EventStream(clients, eventGroupId(), newLeadership::eventsWriter, () -> eventFolds.get(),
                clock);
        synchronized (this) {
            if (closed) {
                newPublisher.close();
                return;
            }
            publisher = newPublisher;
            reader = newReader;
            leadership = newLeadership;
            elector = newElector;
            threads.add(daemon(newReader, "berth-scheduler-state"));
            threads.add(daemon(newLeadership, "berth-scheduler-leadership"));
            threads.add(daemon(newElector, "berth-scheduler-election"));
            requests = newRequests;
            requestsThread = daemon(newRequests, "berth-scheduler-requests");
            threads.add(requestsThread);
            events = newEvents;
            threads.add(daemon(newEvents, "berth-scheduler-events"));
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Where berth.requests records go: the leader consumes them, through {@code handler}, while
     * it returns one (none: requests wait in Kafka).
     */
    public void serveRequests(java.util.function.Supplier<RequestConsumer.Handler> handler) {
        this.requestHandler = handler;
    }

    /**
     * Lets the leader publish berth.events, folding its sources into a new fold from
     * {@code folds} each term (none: nothing is published, and the sources' positions wait).
     */
    public void publishEvents(java.util.function.Supplier<java.util.function.Supplier<EventStream.Fold>> folds) {
        this.eventFolds = folds;
    }

    /** The group whose committed positions say up to which source records events are published. */
    public String eventGroupId() {
        return election.groupId() + "-events";
    }

    /** The group whose committed positions say which requests are answered: the election's, suffixed. */
    public String requestGroupId() {
        return election.groupId() + "-requests";
    }

    /** True once the state has been rebuilt from every partition of the scheduler's topics. */
    public boolean isReady() {
        TopicReader current = reader;
        return current != null && current.isCaughtUp();
    }

    /** True while this replica leads and has caught up since its election: it may write. */
    public boolean isLeader() {
        return writer() != null;
    }

    /** Whether the group has elected this replica and it is still catching up. */
    public boolean isTakingOver() {
        Leadership current = leadership;
        return current != null && current.role() == Leadership.Role.CATCHING_UP;
    }

    /** The URL this replica announces when it leads. */
    public String apiUrl() {
        return election.apiUrl();
    }

    /** The reader that rebuilds the state, once Kafka has been reached. */
    public Optional<TopicReader> reader() {
        return Optional.ofNullable(reader);
    }

    /**
     * The writer, waiting up to {@code patience} while this replica is being elected or
     * catching up; null when it does not lead by then (another replica leads, or none yet).
     */
    public StateWriter awaitWriter(Duration patience) {
        long until = System.nanoTime() + patience.toNanos();
        StateWriter current = writer();
        while (current == null && !closed && System.nanoTime() < until && (isTakingOver() || !leaderKnownElsewhere())) {
            try {
                Thread.sleep(TAKE_OVER_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            current = writer();
        }
        return current;
    }

    private boolean leaderKnownElsewhere() {
        return state.leader().filter(l -> !l.replicaId().equals(election.replicaId())
                && !l.apiUrl().equals(election.apiUrl())).isPresent();
    }

    /** The writer while this replica leads; null on a follower or before Kafka was reached. */
    public StateWriter writer() {
        Leadership current = leadership;
        return current == null ? null : current.writer();
    }

    /**
     * Stops reading berth.requests and waits (up to {@link #JOIN_TIMEOUT}) for the requests in
     * hand to be answered, while the control plane still serves them. The scheduler calls it
     * first when it stops: a request that the control plane could no longer serve would be
     * left unanswered, to be read again by the next leader, where its answer belongs.
     */
    public void stopServingRequests() {
        RequestConsumer current;
        Thread thread;
        synchronized (this) {
            current = requests;
            thread = requestsThread;
        }
        if (current != null) {
            current.close();
            join(thread);
        }
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
        if (requests != null) {
            requests.close();
        }
        if (events != null) {
            events.close();
        }
        if (elector != null) {
            elector.close();
        }
        if (leadership != null) {
            leadership.close();
        }
        if (reader != null) {
            reader.close();
        }
        for (Thread thread : threads) {
            join(thread);
        }
        threads.clear();
        if (publisher != null) {
            publisher.close();
        }
        reader = null;
        leadership = null;
        elector = null;
        publisher = null;
        requests = null;
        requestsThread = null;
        events = null;
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
            state.replayed(topic, key, value, null);
        }

        /**
         * A record replayed at start is dated by Kafka (berth.instances keeps the log-append
         * time), one received live by this scheduler's clock: a heartbeat's freshness never
         * rests on the agent's clock.
         */
        @Override
        public void apply(Topic topic, String key, BerthRecord value, long timestamp, boolean live) {
            state.replayed(topic, key, value, live || timestamp < 0 ? null : java.time.Instant.ofEpochMilli(timestamp));
        }

        @Override
        public void remove(Topic topic, String key) {
            state.remove(topic, key);
        }

        @Override
        public void readToEnd(java.time.Instant asOf) {
            state.readToEnd(asOf);
        }

        @Override
        public void caughtUp() {
            state.keepCandidates();
            LOGGER.info("Scheduler state rebuilt from Kafka: ready to answer reads");
        }
    }
}
