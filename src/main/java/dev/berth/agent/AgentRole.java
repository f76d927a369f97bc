package dev.berth.agent;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.agent.capacity.HostProbe;
import dev.berth.agent.capacity.InstanceIdentity;
import dev.berth.agent.engine.Jitter;
import dev.berth.agent.engine.TaskEngine;
import dev.berth.agent.introspection.AgentMetadata;
import dev.berth.agent.introspection.IntrospectionApi;
import dev.berth.agent.introspection.IntrospectionServer;
import dev.berth.agent.messaging.DesiredTaskReader;
import dev.berth.agent.messaging.InstanceHeartbeat;
import dev.berth.agent.messaging.StateChangeSender;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.HostPolicy;
import dev.berth.agent.runtime.docker.DockerContainerRuntime;
import dev.berth.model.Arns;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.DeadLetters;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.protocol.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@code agent} role: the host daemon that runs this host's tasks with the local Docker
 * engine and reports them on Kafka. The app launcher calls {@link #start()} and
 * {@link #stop()}; start returns at once and reaching Docker and Kafka happens on a
 * background thread, retried with backoff. Stopping never stops containers: they outlive the
 * agent, and the next start adopts them.
 */
@ApplicationScoped
public class AgentRole {

    private static final Logger LOGGER = Logger.getLogger(AgentRole.class);
    /** How long stop() waits for Kafka to acknowledge the last state changes. */
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(5);
    /** How long stop() lets in-flight task syncs finish before interrupting them. */
    private static final Duration WORKER_GRACE = Duration.ofSeconds(2);
    private static final String TOPICS_NOTE = "berth.tasks, berth.task-events, berth.instances, berth.dead-letters";

    private final AgentConfig config;
    private final KafkaSettings kafka;
    private final Path dataDir;
    private final Clock clock = Clock.systemUTC();
    private final AgentObserver observer;
    private volatile Running running;

    private volatile boolean stopping;
    private volatile String instanceId;
    private volatile TaskEngine engine;
    private final AgentBuild build = AgentBuild.load();
    private Thread startup;
    private IntrospectionServer introspection;
    private ContainerRuntime.Subscription events;
    private DockerContainerRuntime runtime;
    private RecordPublisher publisher;
    private StateChangeSender sender;
    private InstanceHeartbeat heartbeat;
    private TopicReader reader;
    private ExecutorService workers;
    private ScheduledExecutorService ticks;

    public AgentRole(AgentConfig config, KafkaSettings kafka, String dataDir) {
        this(config, kafka, dataDir, AgentObserver.NONE);
    }

    @Inject
    public AgentRole(AgentConfig config, KafkaSettings kafka, @ConfigProperty(name = "berth.data-dir") String dataDir,
            AgentObserver observer) {
        this.observer = observer;
        this.config = config;
        this.kafka = kafka;
        this.dataDir = Path.of(dataDir);
    }

    /** Starts the agent in the background; returns at once. */
    public synchronized void start() {
        if (startup != null) {
            return;
        }
        stopping = false;
        instanceId = InstanceIdentity.loadOrCreate(dataDir);
        LOGGER.infof("%s starting: container instance %s in cluster %s, Docker at %s, Kafka at %s",
                build.describe(), instanceId, config.cluster(), config.dockerHost(), kafka.bootstrapServers());
        introspection = IntrospectionServer.start(config.introspectionPort(), introspectionApi()).orElse(null);
        startup = new Thread(this::connect, "berth-agent-start");
        startup.setDaemon(true);
        startup.start();
    }

    /** The container instance id, once start() has run. */
    public Optional<String> instanceId() {
        return Optional.ofNullable(instanceId);
    }

    /** The port the introspection API listens on, when it does. */
    public synchronized OptionalInt introspectionPort() {
        return introspection == null ? OptionalInt.empty() : OptionalInt.of(introspection.port());
    }

    private IntrospectionApi introspectionApi() {
        String arn = new Arns(config.arnPartition(), config.arnRegion(), config.arnAccount())
                .containerInstance(config.cluster(), instanceId);
        return new IntrospectionApi(new AgentMetadata(config.cluster(), arn, build.describe()), () -> {
            TaskEngine e = engine;
            return e == null ? List.of() : e.snapshot();
        });
    }

    /** Whether the agent has rebuilt its tasks from Kafka and Docker and is acting on them. */
    public boolean isReady() {
        TaskEngine e = engine;
        return e != null && e.isCaughtUp() && !stopping;
    }

    /** The parts that run once Docker and Kafka are reached, for health and metrics to read. */
    public record Running(TopicReader reader, TaskEngine engine, StateChangeSender sender,
            InstanceHeartbeat heartbeat) {
    }

    /** What runs now; empty until Docker and Kafka have been reached, and after stop(). */
    public Optional<Running> running() {
        return Optional.ofNullable(running);
    }

    private void connect() {
        try {
            connectAndWire();
        } catch (RuntimeException e) {
            // Without this the start-up thread would die with the agent silently not ready.
            LOGGER.errorf(e, "Agent %s cannot start (%s); it runs no tasks until it is restarted", instanceId,
                    e.getMessage());
        }
    }

    private void connectAndWire() {
        HostCapacity capacity = HostCapacity.of(HostProbe.probe(), config.reservedMemory(), config.reservedPorts());
        DockerContainerRuntime docker = connectDocker();
        if (docker == null) {
            return;
        }
        KafkaClients clients = new KafkaClients(kafka, "berth-agent-" + instanceId);
        if (!new TopicAdmin(clients).ensure(List.of(Topic.TASKS, Topic.TASK_EVENTS, Topic.INSTANCES,
                Topic.DEAD_LETTERS))) {
            docker.close();
            return;
        }
        synchronized (this) {
            if (stopping) {
                docker.close();
                return;
            }
            wire(docker, clients, capacity);
        }
        LOGGER.infof("Agent %s connected to Docker and Kafka; reading its partition of %s", instanceId, TOPICS_NOTE);
    }

    private DockerContainerRuntime connectDocker() {
        Backoff backoff = new Backoff(kafka.retryBackoff(), kafka.retryBackoffMax());
        DockerContainerRuntime docker = DockerContainerRuntime.connect(config.dockerHost(), config.dockerCallTimeout(),
                config.pullTimeout());
        docker.observe(observer);
        docker.enforce(new HostPolicy(config.disablePrivileged(), config.hostPathsAllowed().orElse(List.of())));
        docker.startTimeout(config.containerStartTimeout());
        docker.pullBehavior(config.imagePullBehavior());
        while (!stopping) {
            try {
                String version = docker.engineVersion();
                LOGGER.infof("Docker %s answers at %s", version, config.dockerHost());
                return docker;
            } catch (ContainerRuntimeException e) {
                LOGGER.warnf("Docker at %s cannot be reached (%s); retrying", config.dockerHost(), e.reason());
            }
            if (!backoff.pause()) {
                break;
            }
        }
        docker.close();
        return null;
    }

    private void wire(DockerContainerRuntime docker, KafkaClients clients, HostCapacity capacity) {
        RecordCodec codec = new RecordCodec();
        runtime = docker;
        publisher = new RecordPublisher(clients, codec, "agent");
        sender = new StateChangeSender(change -> publisher.send(Topic.TASK_EVENTS, null, change.taskId(), change),
                kafka.sendTimeout().plusSeconds(1), () -> new Backoff(kafka.retryBackoff(), kafka.retryBackoffMax()));
        sender.start();
        workers = Executors.newFixedThreadPool(config.workerThreads(), named("berth-agent-task-worker"));
        engine = new TaskEngine(instanceId, docker, sender, workers, clock, config.stopTimeout(),
                config.taskCleanupWait(), observer);
        events = engine.watchEvents();
        heartbeat = new InstanceHeartbeat(instanceId, config.cluster(), build.version(), capacity, clock,
                registration -> publisher.send(Topic.INSTANCES, null, instanceId, registration));
        ticks = Executors.newSingleThreadScheduledExecutor(named("berth-agent-tick"));
        long beat = config.heartbeatInterval().toMillis();
        ticks.scheduleAtFixedRate(heartbeat::beat, 0, beat, TimeUnit.MILLISECONDS);
        scheduleResync(new Jitter(config.resyncInterval(), new Random()));
        reader = DesiredTaskReader.topicReader(instanceId, engine, clients, codec, new DeadLetters(publisher, clock));
        Thread readerThread = new Thread(reader, "berth-agent-tasks-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        running = new Running(reader, engine, sender, heartbeat);
    }

    private void scheduleResync(Jitter jitter) {
        ticks.schedule(() -> {
            try {
                engine.resync();
            } finally {
                if (!stopping) {
                    scheduleResync(jitter);
                }
            }
        }, jitter.next().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops reading and acting, flushes pending state changes (bounded), says goodbye on
     * berth.instances and closes the clients. Containers keep running.
     */
    public synchronized void stop() {
        if (startup == null) {
            return;
        }
        stopping = true;
        running = null;
        startup.interrupt();
        if (reader != null) {
            reader.close();
        }
        if (events != null) {
            events.close();
        }
        if (introspection != null) {
            introspection.close();
        }
        if (ticks != null) {
            ticks.shutdownNow();
        }
        if (workers != null) {
            workers.shutdown();
            awaitQuietly(workers, WORKER_GRACE);
            workers.shutdownNow();
        }
        if (sender != null) {
            sender.flush(FLUSH_BOUND);
            sender.close();
        }
        if (heartbeat != null) {
            try {
                heartbeat.farewell().get(FLUSH_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOGGER.warnf("Instance %s: the shutting-down registration was not acknowledged (%s)", instanceId,
                        e.getMessage());
            }
        }
        if (publisher != null) {
            publisher.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        LOGGER.infof("Agent %s stopped; its containers keep running", instanceId);
        startup = null;
        engine = null;
        events = null;
        introspection = null;
        reader = null;
        ticks = null;
        workers = null;
        sender = null;
        heartbeat = null;
        publisher = null;
        runtime = null;
    }

    private static void awaitQuietly(ExecutorService executor, Duration bound) {
        try {
            executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
