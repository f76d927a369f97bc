package dev.berth.agent;

import dev.berth.agent.capacity.AgentCapabilities;
import dev.berth.agent.capacity.HostCapacity;
import dev.berth.agent.capacity.HostProbe;
import dev.berth.agent.capacity.InstanceIdentity;
import dev.berth.agent.disk.DataDirectoryLock;
import dev.berth.agent.engine.TaskEngine;
import dev.berth.agent.images.ImageCleanupPolicy;
import dev.berth.agent.introspection.AgentMetadata;
import dev.berth.agent.introspection.IntrospectionApi;
import dev.berth.agent.introspection.IntrospectionServer;
import dev.berth.agent.messaging.InstanceHeartbeat;
import dev.berth.agent.messaging.StateChangeSender;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.EngineFacts;
import dev.berth.agent.runtime.HostPolicy;
import dev.berth.agent.runtime.docker.DockerContainerRuntime;
import dev.berth.model.Arns;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.protocol.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.TreeSet;
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
    /**
     * How long stop() waits for Kafka to acknowledge the last state changes; what is left is
     * on disk for the next start. The systemd unit gives the whole stop 45 s.
     */
    private static final Duration FLUSH_BOUND = Duration.ofSeconds(10);
    private static final String TOPICS_NOTE = "berth.tasks, berth.task-events, berth.instances,"
            + " berth.instance-control, berth.clusters";

    private final AgentConfig config;
    private final KafkaSettings kafka;
    private final Path dataDir;
    private final Clock clock = Clock.systemUTC();
    private final AgentObserver observer;

    private volatile boolean stopping;
    /** Set when the start-up thread failed: liveness reports it. */
    private volatile String startFailure;
    private volatile String instanceId;
    private volatile ConnectedAgent connected;
    /** What the engine said when it first answered; read and written on the start-up thread only. */
    private EngineFacts engineFacts;
    private final AgentBuild build = AgentBuild.load();
    private Thread startup;
    /** Held from start() to stop(): keeps a second agent off the data directory. */
    private DataDirectoryLock dataDirLock;
    private IntrospectionServer introspection;
    /** The TCP ports no task may bind on this host: set by start(). */
    private volatile Set<Integer> reservedPorts = Set.of();

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
    public void start() {
        start(Set.of());
    }

    /**
     * Starts the agent in the background; returns at once.
     *
     * @param processPorts the TCP ports that the rest of this process listens on (its HTTP
     *                     server, its management interface, an embedded broker): a task that
     *                     publishes one of them could not start here, so they are reserved
     */
    public synchronized void start(Set<Integer> processPorts) {
        if (startup != null) {
            return;
        }
        stopping = false;
        // An env file named but unreadable, and settings that only make sense together, are checked
        // here, so that either stops start-up by name.
        AgentEnvFile.requireReadable(System.getenv());
        imageCleanupPolicy(config);
        if (!lockDataDir()) {
            return;
        }
        try {
            instanceId = InstanceIdentity.loadOrCreate(dataDir, InstanceIdentity.machineId(config.machineIdFile()));
        } catch (RuntimeException e) {
            releaseDataDir();
            throw e;
        }
        LOGGER.infof("%s starting: container instance %s in cluster %s, Docker at %s, Kafka at %s",
                build.describe(), instanceId, config.cluster(), config.dockerHost(), kafka.bootstrapServers());
        reservedPorts = reservedPorts(config, processPorts);
        LOGGER.infof("Host ports reserved from tasks: TCP %s (ECS_RESERVED_PORTS%s), UDP %s", reservedPorts,
                config.reserveProcessPorts() ? " and the ports this process listens on" : "",
                config.reservedPortsUdp().map(ReservedPorts::ports).orElse(Set.of()));
        introspection = IntrospectionServer.start(config.introspectionPort(), introspectionApi()).orElse(null);
        startup = new Thread(this::connect, "berth-agent-start");
        startup.setDaemon(true);
        startup.start();
    }

    /** Before anything in the data directory is read or written; false (a start failure) when another agent holds it. */
    private boolean lockDataDir() {
        try {
            dataDirLock = DataDirectoryLock.take(dataDir);
            return true;
        } catch (IllegalStateException | UncheckedIOException e) {
            startFailure = e.getMessage();
            LOGGER.errorf("Agent cannot start: %s; it runs no tasks until it is restarted", e.getMessage());
            return false;
        }
    }

    private void releaseDataDir() {
        if (dataDirLock != null) {
            dataDirLock.close();
            dataDirLock = null;
        }
    }

    /**
     * The TCP host ports no task may bind: {@code ECS_RESERVED_PORTS}, the agent's own
     * introspection and task metadata ports, and the ports the rest of the process listens on
     * (unless {@link AgentConfig#reserveProcessPorts()} is off). A port of 0 (a free one, chosen
     * when it binds) or -1 (off) is not a port to reserve.
     */
    static Set<Integer> reservedPorts(AgentConfig config, Set<Integer> processPorts) {
        Set<Integer> ports = new TreeSet<>(config.reservedPorts().ports());
        if (!config.reserveProcessPorts()) {
            return Collections.unmodifiableSet(ports);
        }
        for (int port : processPorts) {
            if (port > 0) {
                ports.add(port);
            }
        }
        for (int port : new int[] {config.introspectionPort(), config.taskMetadataPort()}) {
            if (port > 0) {
                ports.add(port);
            }
        }
        return Collections.unmodifiableSet(ports);
    }

    /** When images are removed; refuses a low watermark above the high one, naming both settings. */
    static ImageCleanupPolicy imageCleanupPolicy(AgentConfig config) {
        return new ImageCleanupPolicy(config.imageMinimumCleanupAge(), config.imagesDeletedPerCycle(),
                config.imageDiskHighWatermark(), config.imageDiskLowWatermark());
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
            TaskEngine e = engine();
            return e == null ? List.of() : e.snapshot();
        });
    }

    private TaskEngine engine() {
        ConnectedAgent c = connected;
        return c == null ? null : c.engine();
    }

    /**
     * Whether the agent has rebuilt its tasks from Kafka and Docker, acts on them, and is
     * registered in its cluster.
     */
    public boolean isReady() {
        TaskEngine e = engine();
        return e != null && e.isCaughtUp() && !stopping && registrationProblem().isEmpty();
    }

    /**
     * Why this container instance is not registered, when its cluster does not exist (with
     * the command that creates it); empty otherwise.
     */
    public Optional<String> registrationProblem() {
        ConnectedAgent c = connected;
        return c == null ? Optional.empty() : c.registrationProblem();
    }

    /** The parts that run once Docker and Kafka are reached, for health and metrics to read. */
    public record Running(TopicReader reader, TaskEngine engine, StateChangeSender sender,
            InstanceHeartbeat heartbeat) {
    }

    /** What runs now; empty until Docker and Kafka have been reached, and after stop(). */
    public Optional<Running> running() {
        ConnectedAgent c = connected;
        return c == null || stopping ? Optional.empty() : c.running();
    }

    private void connect() {
        try {
            connectAndWire();
        } catch (RuntimeException e) {
            // Without this the start-up thread would die with the agent silently not ready; its
            // liveness says so, for a restart to try again.
            startFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOGGER.errorf(e, "Agent %s cannot start (%s); it runs no tasks until it is restarted", instanceId,
                    e.getMessage());
        }
    }

    /** Why the agent could not start, when it could not: it runs nothing until restarted. */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    private void connectAndWire() {
        DockerContainerRuntime docker = connectDocker();
        if (docker == null) {
            return;
        }
        HostCapacity capacity = HostCapacity.of(HostProbe.probe(), config.reservedMemory(), reservedPorts,
                        config.reservedPortsUdp().map(ReservedPorts::ports).orElse(Set.of()))
                .withCustomAttributes(config.instanceAttributes().orElse(InstanceAttributes.NONE).values())
                .withCapabilities(AgentCapabilities.of(engineFacts, !config.disablePrivileged()));
        KafkaClients clients = new KafkaClients(kafka, "berth-agent-" + instanceId);
        if (!new TopicAdmin(clients).ensure(List.of(Topic.TASKS, Topic.TASK_EVENTS, Topic.INSTANCES,
                Topic.INSTANCE_CONTROL, Topic.CLUSTERS, Topic.DEAD_LETTERS))) {
            docker.close();
            return;
        }
        ConnectedAgent parts = new ConnectedAgent(new ConnectedAgent.Setup(config, kafka, dataDir, instanceId,
                observer, build, clock), docker, clients, capacity);
        synchronized (this) {
            if (stopping) {
                docker.close();
                return;
            }
            connected = parts;
        }
        LOGGER.infof("Agent %s connected to Docker and Kafka; reading back its last reports, then %s", instanceId,
                TOPICS_NOTE);
        parts.run();
    }

    private DockerContainerRuntime connectDocker() {
        Backoff backoff = new Backoff(kafka.retryBackoff(), kafka.retryBackoffMax());
        DockerContainerRuntime docker = DockerContainerRuntime.connect(config.dockerHost(), config.dockerCallTimeout(),
                config.pullTimeout(), config.workerThreads() * 2);
        docker.observe(observer);
        docker.enforce(new HostPolicy(config.disablePrivileged(), config.hostPathsAllowed().orElse(List.of())));
        docker.startTimeout(config.containerStartTimeout());
        docker.startParallelism(config.containerStartParallelism());
        docker.pullInactivityTimeout(config.pullInactivityTimeout());
        docker.pullBehavior(config.imagePullBehavior());
        while (!stopping) {
            try {
                engineFacts = docker.engineFacts();
                LOGGER.infof("Docker %s (API %s) answers at %s", engineFacts.version(), engineFacts.apiVersion(),
                        config.dockerHost());
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

    /**
     * Graceful shutdown (SIGTERM): stops taking new work (readers, Docker events, ticks, task
     * threads), flushes pending state changes (bounded; what is left stays on disk for the
     * next start), says goodbye on berth.instances and closes the clients. Containers keep
     * running.
     */
    public void stop() {
        ConnectedAgent parts;
        synchronized (this) {
            if (startup == null) {
                return;
            }
            stopping = true;
            startup.interrupt();
            parts = connected;
        }
        if (parts != null) {
            parts.close(FLUSH_BOUND);
        }
        synchronized (this) {
            if (introspection != null) {
                introspection.close();
            }
            LOGGER.infof("Agent %s stopped; its containers keep running", instanceId);
            releaseDataDir();
            startup = null;
            connected = null;
            introspection = null;
        }
    }
}
