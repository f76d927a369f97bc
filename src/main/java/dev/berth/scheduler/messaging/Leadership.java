package dev.berth.scheduler.messaging;

import dev.berth.messaging.LeaderElection;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.state.SchedulerState;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Turns the group's verdict into a writer, level-triggered: whenever the election or the
 * writer changes something, one thread compares what is wanted (lead or follow) with what
 * is, and acts. To lead it:
 * <ol>
 *   <li>opens a producer with the fixed transactional id and calls {@code initTransactions}:
 *       every older leader is fenced and its open transaction aborted; and a second one, with
 *       that id and {@value #EVENTS_SUFFIX}, for berth.events, fenced the same way, so that
 *       the events' transactions never hold up a plan's (nor a plan an event's);</li>
 *   <li>reads the committed end of every topic the scheduler reads, and waits until the state
 *       reader has reached it, so no decision rests on a state older than the last leader's
 *       writes;</li>
 *   <li>announces itself on berth.scheduler-leader, in a transaction of the new producer,
 *       with the URL where its API answers.</li>
 * </ol>
 * Only then does it hand out a writer. A deposition, or a writer that was fenced, takes the
 * writer away at once.
 */
final class Leadership implements LeaderElection.Listener, Runnable, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(Leadership.class);
    /** How often a new leader looks whether the reader has caught up. */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);
    /** Appended to the transactional id for the producer that publishes berth.events. */
    static final String EVENTS_SUFFIX = "-events";

    /** Where this replica stands. */
    enum Role { FOLLOWER, CATCHING_UP, LEADER }

    /** Who this replica is: its id in leader records and the URL of its API. */
    record Replica(String replicaId, String apiUrl, String transactionalId, Duration transactionTimeout) {
    }

    private final KafkaClients clients;
    private final SchedulerState state;
    private final TopicReader reader;
    private final List<Topic> readTopics;
    private final Replica replica;
    private final Clock clock;
    private final SchedulerObserver observer;
    private LeaderElection election;

    private long generation;
    private boolean wanted;
    /** The last write's outcome was unknown: ask the group before taking over again ({@link #stillLeading}). */
    private boolean confirmFirst;
    private boolean running = true;
    private volatile Role role = Role.FOLLOWER;
    private volatile LeaderWriter writer;
    private volatile LeaderWriter eventsWriter;

    Leadership(KafkaClients clients, SchedulerState state, TopicReader reader, List<Topic> readTopics,
            Replica replica, Clock clock, SchedulerObserver observer) {
        this.observer = observer;
        this.clients = clients;
        this.state = state;
        this.reader = reader;
        this.readTopics = readTopics;
        this.replica = replica;
        this.clock = clock;
    }

    void attach(LeaderElection election) {
        this.election = election;
    }

    Role role() {
        return role;
    }

    /** The writer while this replica leads and has caught up; null otherwise. */
    StateWriter writer() {
        LeaderWriter current = writer;
        return role == Role.LEADER && current != null && !current.isSpent() ? current : null;
    }

    /**
     * The writer of berth.events (and of its source positions) while this replica leads and has
     * caught up; null otherwise. Its transactions run beside the plans' writer's, not after them.
     */
    StateWriter eventsWriter() {
        LeaderWriter current = eventsWriter;
        return writer() != null && current != null && !current.isSpent() ? current : null;
    }

    @Override
    public synchronized void elected() {
        wanted = true;
        generation++;
        notifyAll();
    }

    @Override
    public synchronized void deposed(String why) {
        wanted = false;
        role = Role.FOLLOWER;
        generation++;
        notifyAll();
    }

    private synchronized void spent(LeaderWriter.Spent why) {
        role = Role.FOLLOWER;
        if (why == LeaderWriter.Spent.FENCED) {
            wanted = false;
            if (election != null) {
                election.stepDown();
            }
        } else {
            // Its outcome unknown: this replica may have been cut off long enough for another to
            // lead, without its election hearing so. Taking over again on its own would fence that
            // leader: the group's coordinator must first say that this replica still leads.
            confirmFirst = true;
        }
        generation++;
        notifyAll();
    }

    @Override
    public void run() {
        long seen = 0;
        while (true) {
            boolean lead;
            synchronized (this) {
                while (running && generation == seen) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (!running) {
                    break;
                }
                seen = generation;
                lead = wanted;
            }
            release();
            if (lead) {
                takeOver(seen);
            }
        }
        release();
    }

    /**
     * True when this replica may take over: it has not written with an unknown outcome since it
     * last took over, or the group's coordinator says it still holds the leadership. False when
     * the coordinator says another holds it: this replica steps down. Null when it cannot say yet.
     */
    private Boolean stillLeading() {
        synchronized (this) {
            if (!confirmFirst || election == null) {
                return Boolean.TRUE;
            }
        }
        java.util.Optional<Boolean> leading = election.confirmLeading();
        if (leading.isEmpty()) {
            return null;
        }
        synchronized (this) {
            confirmFirst = false;
            if (!leading.get()) {
                LOGGER.warnf("Its last write's outcome unknown, %s asked the group: another replica leads now; "
                        + "stepping down", replica.replicaId());
                wanted = false;
                election.stepDown();
                return Boolean.FALSE;
            }
        }
        return Boolean.TRUE;
    }

    private synchronized boolean isCurrent(long gen) {
        return running && generation == gen;
    }

    private void release() {
        LeaderWriter current = writer;
        LeaderWriter events = eventsWriter;
        writer = null;
        eventsWriter = null;
        if (role != Role.FOLLOWER) {
            role = Role.FOLLOWER;
        }
        if (current != null) {
            current.close();
        }
        if (events != null) {
            events.close();
        }
    }

    private void takeOver(long gen) {
        role = Role.CATCHING_UP;
        long started = clock.millis();
        Backoff backoff = new Backoff(clients.settings().retryBackoff(), clients.settings().retryBackoffMax());
        while (isCurrent(gen)) {
            Boolean confirmed = stillLeading();
            if (confirmed == Boolean.FALSE) {
                return;
            }
            KafkaProducer<String, byte[]> producer = null;
            KafkaProducer<String, byte[]> eventsProducer = null;
            LeaderWriter candidate = null;
            LeaderWriter events = null;
            try {
                if (confirmed == null) {
                    throw new IllegalStateException("the group's coordinator cannot say yet whether this replica "
                            + "still leads");
                }
                producer = clients.transactionalProducer("leader", replica.transactionalId(),
                        replica.transactionTimeout());
                producer.initTransactions();
                eventsProducer = clients.transactionalProducer("leader-events",
                        replica.transactionalId() + EVENTS_SUFFIX, replica.transactionTimeout());
                eventsProducer.initTransactions();
                Map<TopicPartition, Long> ends = committedEnds();
                if (!awaitReader(ends, gen)) {
                    producer.close(Duration.ZERO);
                    eventsProducer.close(Duration.ZERO);
                    return;
                }
                String tasks = Topic.TASKS.name(clients.settings());
                int taskPartitions = (int) ends.keySet().stream().filter(tp -> tp.topic().equals(tasks)).count();
                candidate = new LeaderWriter(producer, clients.settings(), state, taskPartitions,
                        this::spent, "berth-scheduler-committer", LeaderWriter.HOLD, observer);
                events = new LeaderWriter(eventsProducer, clients.settings(), state, taskPartitions,
                        this::spent, "berth-scheduler-events-committer", LeaderWriter.HOLD, observer);
                candidate.write(announcement());
                synchronized (this) {
                    if (generation != gen) {
                        candidate.close();
                        events.close();
                        return;
                    }
                    writer = candidate;
                    eventsWriter = events;
                    state.listeningFrom(state.clock().instant());
                    role = Role.LEADER;
                }
                LOGGER.infof("Leading as %s: fenced the previous leader and caught up in %d ms; API at %s",
                        replica.replicaId(), clock.millis() - started, replica.apiUrl());
                return;
            } catch (ExecutionException | RuntimeException e) {
                abandon(candidate, producer);
                abandon(events, eventsProducer);
                LOGGER.warnf("Cannot take over the leadership yet (%s); retrying", e.getMessage());
            } catch (InterruptedException e) {
                abandon(candidate, producer);
                abandon(events, eventsProducer);
                Thread.currentThread().interrupt();
                return;
            }
            if (!pause(backoff.nextDelay(), gen)) {
                return;
            }
        }
    }

    /**
     * Gives up a take-over that failed: its writer's committer thread stops and its producer
     * closes (only the producer, when it got no writer), or every retry would leave them running.
     */
    private static void abandon(LeaderWriter writer, KafkaProducer<String, byte[]> producer) {
        if (writer != null) {
            writer.close();
        } else if (producer != null) {
            producer.close(Duration.ZERO);
        }
    }

    private BerthRecord announcement() {
        long version = state.leader().map(l -> l.version() + 1).orElse(1L);
        return new LeaderRecord(BerthRecord.SCHEMA_VERSION, version, replica.replicaId(), replica.apiUrl(),
                clock.instant());
    }

    /** The end of every partition the scheduler reads, as a {@code read_committed} reader sees it. */
    private Map<TopicPartition, Long> committedEnds() throws ExecutionException, InterruptedException {
        try (Admin admin = clients.admin()) {
            List<String> names = readTopics.stream().map(t -> t.name(clients.settings())).toList();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (TopicDescription description : admin.describeTopics(names).allTopicNames().get().values()) {
                description.partitions().forEach(p ->
                        request.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    private boolean awaitReader(Map<TopicPartition, Long> ends, long gen) throws InterruptedException {
        while (!reader.hasReached(ends)) {
            if (!isCurrent(gen)) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(CATCH_UP_POLL.toMillis());
        }
        return isCurrent(gen);
    }

    private synchronized boolean pause(Duration delay, long gen) {
        long until = clock.millis() + delay.toMillis();
        while (running && generation == gen) {
            long left = until - clock.millis();
            if (left <= 0) {
                return true;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        running = false;
        role = Role.FOLLOWER;
        notifyAll();
    }
}
