package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.messaging.RequestConsumer;
import dev.berth.scheduler.messaging.SchedulerKafka;
import dev.berth.scheduler.reconcile.ReconcileLoop;
import dev.berth.scheduler.reconcile.TaskReconciler;
import dev.berth.scheduler.state.SchedulerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The {@code scheduler} role: the control plane behind the ECS API. The app launcher calls
 * {@link #start()} when this process plays the role and {@link #stop()} on shutdown.
 * Starting returns at once: reaching Kafka and rebuilding the state happen in the
 * background, and until they are done {@link #controlPlane()} answers "not ready".
 *
 * <p>Several replicas may run at once: each keeps a warm state and answers reads; the one
 * that Kafka's group membership elects leads, writes through a fenced transactional producer
 * and runs the reconciliation. {@link #leader()} tells the API where to forward writes.
 */
@ApplicationScoped
public class SchedulerRole {

    private static final Logger LOGGER = Logger.getLogger(SchedulerRole.class);

    private final KafkaSettings kafkaSettings;
    private final SchedulerConfig config;
    private final Clock clock;
    private final SchedulerObserver observer;
    /** How long a write waits for this replica to finish taking over before it gets a retryable error. */
    private static final Duration TAKE_OVER_WAIT = Duration.ofSeconds(10);

    private final String replicaId;
    private volatile Running running;
    /** What carries out berth.requests records on the leader; none until the API attaches it. */
    private volatile RequestConsumer.Handler requestHandler;
    private volatile java.util.function.Supplier<dev.berth.scheduler.messaging.EventStream.Fold> eventFolds;

    /** One start of the role: its state, its Kafka plumbing and the operations over them. */
    private record Running(SchedulerKafka kafka, ControlPlane plane, ReconcileLoop reconcile) {
    }

    @Inject
    public SchedulerRole(KafkaSettings kafkaSettings, SchedulerConfig config, SchedulerObserver observer) {
        this(kafkaSettings, config, Clock.systemUTC(), observer);
    }

    public SchedulerRole(KafkaSettings kafkaSettings, SchedulerConfig config, Clock clock) {
        this(kafkaSettings, config, clock, SchedulerObserver.NONE);
    }

    public SchedulerRole(KafkaSettings kafkaSettings, SchedulerConfig config, Clock clock,
            SchedulerObserver observer) {
        this(kafkaSettings, config, clock, observer, config.replicaId().orElseGet(() -> hostName() + "-" + apiPort()));
    }

    /** A replica with a name of its own, for several replicas in one JVM (tests). */
    public SchedulerRole(KafkaSettings kafkaSettings, SchedulerConfig config, Clock clock,
            SchedulerObserver observer, String replicaId) {
        this.replicaId = replicaId;
        this.observer = observer;
        this.kafkaSettings = kafkaSettings;
        this.config = config;
        this.clock = clock;
    }

    /** Starts reaching Kafka and rebuilding the state in the background; returns at once. Idempotent. */
    public synchronized void start() {
        if (running != null) {
            return;
        }
        SchedulerState state = new SchedulerState(clock, config.agentHeartbeatTimeout(),
                config.stoppedTaskRetention(), config.instanceLostAfter());
        SchedulerKafka kafka = new SchedulerKafka(kafkaSettings, state, clock, election(), observer);
        TermWriter writer = new TermWriter(kafka::writer, () -> leaderWriter(kafka));
        Arns arns = new Arns(config.arnPartition(), config.region(), config.account());
        ControlPlane plane = new ControlPlane(state, writer, arns, observer);
        TaskReconciler reconciler = new TaskReconciler(config.stoppedTaskRetention());
        ReconcileLoop reconcile = new ReconcileLoop(config.reconcileInterval(), new Random(), kafka::isLeader,
                () -> writer.inCurrentTerm(() -> observer.timeReconcile(() -> {
                    plane.serviceScheduler().reconcile();
                    plane.tasks().reconcile(reconciler);
                    plane.containerInstances().recordAgentConnections();
                })),
                () -> writer.inCurrentTerm(() -> plane.serviceScheduler().reconcile()));
        state.onServiceActivity(reconcile::wake);
        running = new Running(kafka, plane, reconcile);
        kafka.serveRequests(() -> requestHandler);
        kafka.publishEvents(() -> eventFolds);
        kafka.start();
        reconcile.start();
        LOGGER.infof("Scheduler %s starting: rebuilding its state from Kafka at %s, then joining the election of "
                + "group %s", replicaId, kafkaSettings.bootstrapServers(), config.groupId());
    }

    private SchedulerKafka.Election election() {
        return new SchedulerKafka.Election(config.groupId(), config.sessionTimeout(), replicaId, apiUrl(),
                config.transactionalId(), transactionTimeout());
    }

    /**
     * How long a transaction may stay open: a leader paused mid-plan holds back every
     * {@code read_committed} reader (the agents) this long at most, unless a new leader
     * aborts it sooner. Above the send timeout, so that a slow but live commit is not aborted.
     */
    private Duration transactionTimeout() {
        return kafkaSettings.sendTimeout().plusSeconds(5);
    }

    private String apiUrl() {
        return config.advertisedUrl().orElseGet(() -> "http://" + hostName() + ":" + apiPort());
    }

    private static int apiPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The leader's writer. A write that arrives while this replica is being elected or is
     * catching up waits for it a moment rather than failing: a restarted one-host Berth
     * takes over within a second or two.
     */
    private static StateWriter leaderWriter(SchedulerKafka kafka) {
        StateWriter writer = kafka.awaitWriter(TAKE_OVER_WAIT);
        if (writer == null) {
            throw new SchedulerUnavailableException(kafka.isTakingOver()
                    ? "This scheduler was just elected leader and is still catching up with Kafka; nothing was "
                            + "changed. Retry shortly."
                    : "This scheduler replica is not the leader and no leader is known to it; nothing was changed. "
                            + "Retry shortly.");
        }
        return writer;
    }

    /** Where writes go, as this replica sees it. */
    public sealed interface Leader {
        /** This replica leads and may write. */
        record Here() implements Leader {
        }

        /** Another replica announced that it leads; its API answers at {@code apiUrl}. */
        record There(String replicaId, String apiUrl) implements Leader {
        }

        /** No leader is known: an election or a take-over is under way. */
        record Unknown() implements Leader {
        }
    }

    /** Where this replica would send a write now. */
    public Leader leader() {
        Running current = running;
        if (current == null) {
            return new Leader.Unknown();
        }
        if (current.kafka().isLeader()) {
            return new Leader.Here();
        }
        // A leader record naming this replica (or its URL) is from before a restart: not a leader to forward to.
        Optional<LeaderRecord> announced = current.plane().state().leader();
        if (announced.isPresent() && !announced.get().replicaId().equals(replicaId)
                && !announced.get().apiUrl().equals(current.kafka().apiUrl()) && !current.kafka().isTakingOver()) {
            return new Leader.There(announced.get().replicaId(), announced.get().apiUrl());
        }
        return new Leader.Unknown();
    }

    /**
     * Lets the leader consume berth.requests through {@code handler} (the API's dispatcher):
     * without one, requests wait in Kafka.
     */
    public void serveRequests(RequestConsumer.Handler handler) {
        this.requestHandler = handler;
    }

    /**
     * Lets the leader publish berth.events: each leadership term folds the events' sources
     * into a new fold from {@code folds}. Without one, nothing is published.
     */
    public void publishEvents(java.util.function.Supplier<dev.berth.scheduler.messaging.EventStream.Fold> folds) {
        this.eventFolds = folds;
    }

    /** This replica's id in the election and in leader records. */
    public String replicaId() {
        return replicaId;
    }

    /**
     * Stops reading and writing Kafka. Idempotent. The requests of berth.requests in hand are
     * answered first, while the control plane still serves them; one that it no longer could
     * is left unanswered, for the next leader.
     */
    public synchronized void stop() {
        Running current = running;
        if (current != null) {
            current.kafka().stopServingRequests();
        }
        running = null;
        if (current != null) {
            current.reconcile().close();
            current.kafka().close();
            LOGGER.info("Scheduler stopped");
        }
    }

    /** Whether {@link #start()} was called and {@link #stop()} was not. */
    public boolean isRunning() {
        return running != null;
    }

    /**
     * Whether the API can answer: the state has been rebuilt from Kafka and a leader is known
     * (this replica, or another one to forward writes to).
     */
    public boolean isReady() {
        Running current = running;
        return current != null && current.kafka().isReady() && !(leader() instanceof Leader.Unknown);
    }

    /** Whether the state has been rebuilt from Kafka (reads can be answered). */
    public boolean isStateRebuilt() {
        Running current = running;
        return current != null && current.kafka().isReady();
    }

    /** The state, while the role runs (rebuilt or not yet): for metrics to count tasks. */
    public Optional<SchedulerState> state() {
        Running current = running;
        return current == null ? Optional.empty() : Optional.of(current.plane().state());
    }

    /** The reader that rebuilds the state, once Kafka has been reached: for health and metrics. */
    /** Why the scheduler could not start, when it could not: for liveness. */
    public Optional<String> startFailure() {
        Running current = running;
        return current == null ? Optional.empty() : current.kafka().startFailure();
    }

    public Optional<TopicReader> stateReader() {
        Running current = running;
        return current == null ? Optional.empty() : current.kafka().reader();
    }

    /** The periodic task reconciliation, while the role runs: for liveness. */
    public Optional<ReconcileLoop> reconcileLoop() {
        Running current = running;
        return current == null ? Optional.empty() : Optional.of(current.reconcile());
    }

    /**
     * The operations, once ready.
     *
     * @throws SchedulerUnavailableException when the role is not running here or not ready yet
     */
    public ControlPlane controlPlane() {
        Running current = running;
        if (current == null) {
            throw new SchedulerUnavailableException("The scheduler role is not running in this Berth process "
                    + "(see berth.roles); send ECS API calls to a Berth process that runs it.");
        }
        if (!current.kafka().isReady()) {
            throw new SchedulerUnavailableException("The scheduler is not ready: it is still rebuilding its state "
                    + "from Kafka at " + kafkaSettings.bootstrapServers() + ". Retry shortly.");
        }
        return current.plane();
    }
}
