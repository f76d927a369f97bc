package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.messaging.SchedulerKafka;
import dev.berth.scheduler.reconcile.ReconcileLoop;
import dev.berth.scheduler.reconcile.TaskReconciler;
import dev.berth.scheduler.state.SchedulerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * The {@code scheduler} role: the control plane behind the ECS API. The app launcher calls
 * {@link #start()} when this process plays the role and {@link #stop()} on shutdown.
 * Starting returns at once: reaching Kafka and rebuilding the state happen in the
 * background, and until they are done {@link #controlPlane()} answers "not ready".
 */
@ApplicationScoped
public class SchedulerRole {

    private static final Logger LOGGER = Logger.getLogger(SchedulerRole.class);

    private final KafkaSettings kafkaSettings;
    private final SchedulerConfig config;
    private final Clock clock;
    private final SchedulerObserver observer;
    private volatile Running running;

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
                config.stoppedTaskRetention());
        SchedulerKafka kafka = new SchedulerKafka(kafkaSettings, state, clock);
        StateWriter writer = new StateWriter() {
            @Override
            public void write(BerthRecord record) {
                connected(kafka).write(record);
            }

            @Override
            public void forget(DesiredTask task) {
                connected(kafka).forget(task);
            }
        };
        Arns arns = new Arns(config.arnPartition(), config.region(), config.account());
        ControlPlane plane = new ControlPlane(state, writer, arns, observer);
        TaskReconciler reconciler = new TaskReconciler(config.stoppedTaskRetention());
        ReconcileLoop reconcile = new ReconcileLoop(config.reconcileInterval(), new Random(), kafka::isReady,
                () -> observer.timeReconcile(() -> plane.tasks().reconcile(reconciler)));
        running = new Running(kafka, plane, reconcile);
        kafka.start();
        reconcile.start();
        LOGGER.infof("Scheduler starting: rebuilding its state from Kafka at %s", kafkaSettings.bootstrapServers());
    }

    private static StateWriter connected(SchedulerKafka kafka) {
        StateWriter connected = kafka.writer();
        if (connected == null) {
            throw new SchedulerUnavailableException("The scheduler has not reached Kafka yet. Retry shortly.");
        }
        return connected;
    }

    /** Stops reading and writing Kafka. Idempotent. */
    public synchronized void stop() {
        Running current = running;
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

    /** Whether the state has been rebuilt from Kafka and the API can answer. */
    public boolean isReady() {
        Running current = running;
        return current != null && current.kafka().isReady();
    }

    /** The state, while the role runs (rebuilt or not yet): for metrics to count tasks. */
    public Optional<SchedulerState> state() {
        Running current = running;
        return current == null ? Optional.empty() : Optional.of(current.plane().state());
    }

    /** The reader that rebuilds the state, once Kafka has been reached: for health and metrics. */
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
