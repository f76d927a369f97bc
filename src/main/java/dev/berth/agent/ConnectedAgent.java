package dev.berth.agent;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.agent.engine.HostLedger;
import dev.berth.agent.engine.Jitter;
import dev.berth.agent.engine.SweepPolicy;
import dev.berth.agent.engine.TaskEngine;
import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.agent.engine.TaskThreads;
import dev.berth.agent.images.ImageCleanup;
import dev.berth.agent.images.ImageHistory;
import dev.berth.agent.messaging.ClusterPresence;
import dev.berth.agent.messaging.ControlReader;
import dev.berth.agent.messaging.DesiredTaskReader;
import dev.berth.agent.messaging.InstanceHeartbeat;
import dev.berth.agent.messaging.InstanceMembership;
import dev.berth.agent.messaging.KafkaLayout;
import dev.berth.agent.messaging.LastReports;
import dev.berth.agent.messaging.RegisteredHost;
import dev.berth.agent.messaging.RegistrationHistory;
import dev.berth.agent.messaging.StateChangeOutbox;
import dev.berth.agent.messaging.StateChangeSender;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.docker.DockerContainerRuntime;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The agent once Docker and Kafka answer: it reads back what it reported before, then runs
 * the engine, the readers, the state-change sender and the heartbeat. {@link #run()} goes
 * through these steps in order on the start-up thread; {@link #close} may come at any point
 * (SIGTERM) and stops what has started, in reverse:
 *
 * <ol>
 *   <li>check the Kafka layout against the one recorded (the orphan sweep's gate);</li>
 *   <li>read back its own last records on berth.task-events and berth.instances;</li>
 *   <li>open the on-disk outbox of unacknowledged state changes, and drop from it what Kafka
 *       holds already and the tasks the scheduler has tombstoned;</li>
 *   <li>seed the engine with them, so nothing reported is rewritten;</li>
 *   <li>start the sender, the Docker events, the heartbeat, the resync, the readers of the
 *       cluster and of the instance's standing ({@link InstanceMembership}: it registers only
 *       in the cluster it was registered in, and never once deregistered) and the reader of
 *       its partition of berth.tasks.</li>
 * </ol>
 */
final class ConnectedAgent {

    private static final Logger LOGGER = Logger.getLogger(ConnectedAgent.class);
    /** How long close() lets in-flight task syncs finish before interrupting them. */
    private static final Duration WORKER_GRACE = Duration.ofSeconds(2);
    /**
     * The agent's records go out at once: they are few, someone waits for each (the
     * scheduler for a task's RUNNING), and the state-change sender already hands Kafka its
     * changes in rounds, which batch while one is in flight.
     */
    private static final Duration PUBLISH_LINGER = Duration.ZERO;
    /**
     * A periodic resync wakes its tasks one after the other over half the resync interval, so it
     * is over well before the next one (one scheduled wake-up per known task, on the tick thread).
     */
    private static final int RESYNC_SPREAD_DIVISOR = 2;
    /** The least the goodbye registration gets when the flush used up the bound (Kafka is down). */
    private static final Duration FAREWELL_MIN = Duration.ofSeconds(1);

    /** What every part needs to know of the agent. */
    record Setup(AgentConfig config, KafkaSettings kafka, Path dataDir, String instanceId, AgentObserver observer,
            AgentBuild build, Clock clock) {
    }

    private final Setup setup;
    private final DockerContainerRuntime docker;
    private final KafkaClients clients;
    private final HostCapacity capacity;
    private final RecordCodec codec = new RecordCodec();
    private boolean closed;
    private RecordPublisher publisher;
    private LastReports lastReports;
    private StateChangeSender sender;
    private TaskThreads threads;
    private volatile TaskEngine engine;
    private ContainerRuntime.Subscription events;
    private volatile ClusterPresence presence;
    private volatile InstanceMembership membership;
    private volatile InstanceHeartbeat heartbeat;
    private ScheduledExecutorService ticks;
    private TopicReader controlReader;
    private volatile TopicReader tasksReader;
    private TaskMetadataEndpoint metadata;

    ConnectedAgent(Setup setup, DockerContainerRuntime docker, KafkaClients clients, HostCapacity capacity) {
        this.setup = setup;
        this.docker = docker;
        this.clients = clients;
        this.capacity = capacity;
    }

    /** Reads back the last reports, then starts acting; returns false when closed meanwhile. */
    boolean run() {
        AgentConfig config = setup.config();
        KafkaLayout layout;
        LastReports reports;
        synchronized (this) {
            if (closed) {
                return false;
            }
            publisher = new RecordPublisher(clients, codec, "agent", PUBLISH_LINGER);
            reports = new LastReports(setup.instanceId(), clients, codec, deadLetters());
            lastReports = reports;
        }
        layout = KafkaLayout.check(setup.dataDir(), clients);
        if (!reports.read()) {
            return false;
        }
        StateChangeOutbox outbox = StateChangeOutbox.open(setup.dataDir().resolve("agent").resolve("state-changes"),
                config.stateChangeBuffer(), codec);
        outbox.dropReported(reports.tasks());
        outbox.dropForgotten(reports.forgotten());
        LOGGER.infof("Instance %s: read back %d task state changes it reported before, and %d not yet sent",
                setup.instanceId(), reports.tasks().size(), outbox.size());
        synchronized (this) {
            if (closed) {
                return false;
            }
            startSending(outbox);
            // Before the engine creates a container, so that every container is told its endpoint.
            metadata = TaskMetadataEndpoint.start(config, docker, setup.dataDir(), this::snapshots).orElse(null);
            startEngine(layout, reports, outbox);
            startRegistering(reports);
            startReading(layout);
        }
        return true;
    }

    private DeadLetters deadLetters() {
        return new DeadLetters(publisher, setup.clock());
    }

    private void startSending(StateChangeOutbox outbox) {
        KafkaSettings kafka = setup.kafka();
        sender = new StateChangeSender(change -> publisher.send(Topic.TASK_EVENTS, null, change.taskId(), change),
                kafka.sendTimeout().plusSeconds(1), () -> new Backoff(kafka.retryBackoff(), kafka.retryBackoffMax()),
                outbox);
        sender.start();
    }

    private void startEngine(KafkaLayout layout, LastReports reports, StateChangeOutbox outbox) {
        AgentConfig config = setup.config();
        threads = new TaskThreads(config.workerThreads());
        HostLedger ledger = new HostLedger(capacity.resources().cpu(), capacity.resources().memory(),
                capacity.resources().ports(), capacity.resources().portsUdp(), config.containerStartParallelism());
        engine = new TaskEngine(setup.instanceId(), docker, sender, threads, setup.clock(), config.stopTimeout(),
                config.taskCleanupWait(), setup.observer(), new SweepPolicy(config.orphanGracePeriod(), layout), ledger);
        engine.seed(reports.tasks());
        engine.seed(outbox.pending());
        events = engine.watchEvents();
    }

    private void startRegistering(LastReports reports) {
        AgentConfig config = setup.config();
        String instanceId = setup.instanceId();
        RegistrationHistory history = RegistrationHistory.load(setup.dataDir(), setup.instanceId(),
                reports.registration(), setup.clock());
        ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "berth-agent-tick");
            thread.setDaemon(true);
            return thread;
        });
        presence = new ClusterPresence(config.cluster(), config.apiEndpoint(), () -> ticks.execute(this::beat));
        membership = new InstanceMembership(instanceId, config.cluster(), reports.registration(),
                setup.dataDir().resolve("agent"), config.apiEndpoint(), () -> ticks.execute(this::beat));
        RegisteredHost host = new RegisteredHost(setup.build().version(), docker::lastEngineVersion, capacity,
                engine::remaining, engine::isCaughtUp,
                () -> docker.engineAnswers().map(a -> new InstanceRegistration.RuntimeHealth(
                        a.answered() ? InstanceRegistration.RuntimeHealth.OK
                                : InstanceRegistration.RuntimeHealth.IMPAIRED, a.since())).orElse(null));
        heartbeat = new InstanceHeartbeat(instanceId, config.cluster(), host, setup.clock(), history,
                () -> membership.allowed() && presence.exists(),
                registration -> publisher.send(Topic.INSTANCES, null, instanceId, registration));
        ticks.scheduleAtFixedRate(this::beat, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduleResync(new Jitter(config.resyncInterval(), new Random()));
        if (config.imageCleanupDisabled()) {
            LOGGER.infof("Instance %s: image cleanup is off (ECS_DISABLE_IMAGE_CLEANUP)", instanceId);
        } else {
            ImageCleanup images = new ImageCleanup(docker, engine::imagesNamed,
                    ImageHistory.load(setup.dataDir().resolve("agent").resolve("images.properties")),
                    AgentRole.imageCleanupPolicy(config), setup.clock());
            // Before the tasks are read: every container the engine creates is recorded.
            docker.recordImageUse(images::used);
            scheduleImageCleanup(images, new Jitter(config.imageCleanupInterval(), new Random()));
        }
    }

    /** Each cycle runs on a task thread, so a slow engine never delays the heartbeat; a busy host skips one. */
    private void scheduleImageCleanup(ImageCleanup images, Jitter jitter) {
        ticks.schedule(() -> {
            try {
                threads.execute(images::run);
            } catch (RejectedExecutionException e) {
                LOGGER.debugf("Image cleanup skipped: no task thread is free (%s)", e.getMessage());
            } finally {
                if (!ticks.isShutdown()) {
                    scheduleImageCleanup(images, jitter);
                }
            }
        }, jitter.next().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        InstanceHeartbeat h = heartbeat;
        if (h != null) {
            h.beat();
        }
    }

    private void scheduleResync(Jitter jitter) {
        Duration spread = setup.config().resyncInterval().dividedBy(RESYNC_SPREAD_DIVISOR);
        ticks.schedule(() -> {
            try {
                engine.resync(spread, (delay, wake) -> ticks.schedule(wake, delay.toNanos(), TimeUnit.NANOSECONDS));
            } finally {
                if (!ticks.isShutdown()) {
                    scheduleResync(jitter);
                }
            }
        }, jitter.next().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startReading(KafkaLayout layout) {
        controlReader = ControlReader.topicReader(presence, membership, clients, codec, deadLetters());
        daemon(controlReader, "berth-agent-control-reader");
        tasksReader = DesiredTaskReader.topicReader(setup.instanceId(), engine, clients, codec, deadLetters(),
                layout::readingTasksWith);
        daemon(tasksReader, "berth-agent-tasks-reader");
    }

    private static void daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    TaskEngine engine() {
        return engine;
    }

    private List<TaskSnapshot> snapshots() {
        TaskEngine e = engine;
        return e == null ? List.of() : e.snapshot();
    }

    /** The parts health and metrics read; empty until {@link #run()} has started them. */
    Optional<AgentRole.Running> running() {
        TopicReader reader = tasksReader;
        InstanceHeartbeat h = heartbeat;
        if (reader == null || h == null) {
            return Optional.empty();
        }
        return Optional.of(new AgentRole.Running(reader, engine, sender, h));
    }

    /** Why this instance does not register; empty when it does (or before the agent has reached Kafka). */
    Optional<String> registrationProblem() {
        InstanceMembership m = membership;
        ClusterPresence p = presence;
        if (m == null || p == null) {
            return Optional.empty();
        }
        return m.problem().or(p::problem);
    }

    /**
     * Stops taking new work (readers, events, ticks, task threads), flushes the state changes
     * still buffered and says goodbye on berth.instances, together within {@code flushBound}
     * (the goodbye gets at least a second), and closes the clients. Containers keep running.
     */
    void close(Duration flushBound) {
        long deadline = System.nanoTime() + flushBound.toNanos();
        synchronized (this) {
            closed = true;
        }
        if (lastReports != null) {
            lastReports.close();
        }
        closeReaders();
        if (events != null) {
            events.close();
        }
        if (ticks != null) {
            ticks.shutdownNow();
        }
        if (threads != null) {
            threads.shutdown(WORKER_GRACE);
        }
        if (sender != null) {
            sender.flush(flushBound);
            sender.close();
        }
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        farewell(left.compareTo(FAREWELL_MIN) < 0 ? FAREWELL_MIN : left);
        if (publisher != null) {
            publisher.close();
        }
        if (metadata != null) {
            metadata.close();
        }
        docker.close();
    }

    private void closeReaders() {
        TopicReader reader = tasksReader;
        if (reader != null) {
            reader.close();
        }
        if (controlReader != null) {
            controlReader.close();
        }
    }

    private void farewell(Duration bound) {
        InstanceHeartbeat h = heartbeat;
        if (h == null) {
            return;
        }
        try {
            h.farewell().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOGGER.warnf("Instance %s: the shutting-down registration was not acknowledged (%s)", setup.instanceId(),
                    e.getMessage());
        }
    }
}
