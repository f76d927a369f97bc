package dev.berth.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.jboss.logging.Logger;

/**
 * A real single-node Apache Kafka broker in this process: KRaft mode, one node that is both
 * broker and controller, data in {@link Settings#logDir()}. See the package Javadoc for the
 * invariants.
 *
 * <pre>{@code
 * try (var broker = new EmbeddedKafkaBroker(Settings.of(config, dataDir))) {
 *     broker.start();
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(EmbeddedKafkaBroker.class);

    /** The only node; broker and controller share the id, as a combined KRaft node does. */
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /**
     * Where the broker listens and keeps its data.
     *
     * @param host           address of both listeners; also advertised to clients
     * @param port           client listener port, {@code 0} for a free one
     * @param controllerPort KRaft controller listener port, {@code 0} for a free one
     * @param logDir         Kafka's log directory (metadata log and topic data)
     */
    public record Settings(String host, int port, int controllerPort, Path logDir) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 9092;
        public static final int DEFAULT_CONTROLLER_PORT = 9093;
        /** The broker's directory under {@code berth.data-dir}. */
        public static final String DATA_SUBDIRECTORY = "kafka";

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(logDir, "logDir");
            checkPort(port, "port");
            checkPort(controllerPort, "controllerPort");
        }

        /** Settings from the role's configuration, with data in {@code <berthDataDir>/kafka}. */
        public static Settings of(EmbeddedKafkaConfig config, Path berthDataDir) {
            return new Settings(config.host(), config.port(), config.controllerPort(),
                    berthDataDir.resolve(DATA_SUBDIRECTORY));
        }

        /** The defaults (127.0.0.1:9092, controller 9093), with data in {@code <berthDataDir>/kafka}. */
        public static Settings defaults(Path berthDataDir) {
            return new Settings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT,
                    berthDataDir.resolve(DATA_SUBDIRECTORY));
        }

        private static void checkPort(int port, String name) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
            }
        }
    }

    private final Settings settings;
    private KafkaRaftServer server;
    private String bootstrapServers;
    private Set<Integer> ports = Set.of();

    public EmbeddedKafkaBroker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Formats the log directory if it has never been formatted, then starts the broker and
     * returns once it serves clients.
     *
     * @throws KafkaPortInUseException if a listener port is taken
     * @throws EmbeddedKafkaException  if the directory cannot be prepared or Kafka fails to start
     */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("The embedded Kafka broker is already running on " + bootstrapServers);
        }
        int port = claimPort(settings.port(), "berth.kafka.embedded.port");
        int controllerPort = claimPort(settings.controllerPort(), "berth.kafka.embedded.controller-port");
        String clusterId = formatOnFirstStart();

        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(port, controllerPort), false);
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            stopQuietly(starting);
            throw startFailure(e, port, controllerPort);
        }
        server = starting;
        bootstrapServers = settings.host() + ":" + port;
        ports = Set.of(port, controllerPort);
        LOGGER.infof("Embedded Kafka broker started: cluster %s, bootstrap servers %s, data in %s",
                clusterId, bootstrapServers, settings.logDir());
    }

    /** {@code host:port} of the client listener; only once {@link #start()} has returned. */
    public synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("The embedded Kafka broker is not running");
        }
        return bootstrapServers;
    }

    /** The TCP ports of its client and controller listeners; only once {@link #start()} has returned. */
    public synchronized Set<Integer> ports() {
        if (server == null) {
            throw new IllegalStateException("The embedded Kafka broker is not running");
        }
        return ports;
    }

    /** Stops the broker and waits until it has released its ports and files. Idempotent. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        LOGGER.infof("Stopping the embedded Kafka broker on %s", bootstrapServers);
        stopQuietly(server);
        server = null;
        bootstrapServers = null;
    }

    /**
     * Returns the cluster id kept in the log directory's {@code meta.properties}, formatting the
     * directory first (new cluster id) if it has none.
     */
    private String formatOnFirstStart() {
        String logDir = settings.logDir().toAbsolutePath().toString();
        try {
            Files.createDirectories(settings.logDir());
            MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(logDir))
                    .addMetadataLogDir(logDir)
                    .load();
            if (!ensemble.errorLogDirs().isEmpty()) {
                throw new EmbeddedKafkaException("Cannot read the embedded Kafka broker's meta.properties in "
                        + logDir + "; fix or remove that directory");
            }
            Optional<String> existing = ensemble.clusterId();
            if (existing.isPresent()) {
                return existing.get();
            }
            String clusterId = Uuid.randomUuid().toString();
            ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
            new Formatter()
                    .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
            LOGGER.infof("Formatted %s for a new embedded Kafka cluster %s: %s", logDir, clusterId,
                    formatterOutput.toString(StandardCharsets.UTF_8).strip());
            return clusterId;
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot prepare the embedded Kafka data directory " + logDir
                    + ": " + e.getMessage(), e);
        } catch (EmbeddedKafkaException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedKafkaException("Cannot format the embedded Kafka data directory " + logDir
                    + ": " + e.getMessage(), e);
        }
    }

    private Properties brokerProperties(int port, int controllerPort) {
        String host = settings.host();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // A static one-voter quorum (kraft.version 0): the controller port may change between
        // starts, because the voter address is read from this configuration every time.
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", CLIENT_LISTENER + "://" + host + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", settings.logDir().toAbsolutePath().toString());

        // One node: every replicated internal topic gets one replica and accepts one in-sync replica.
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Spreading coordinators over partitions buys nothing on one node; one partition each
        // keeps the first consumer group and the first transaction quick to start.
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "1");

        // As on a production cluster: Berth creates its topics, a misspelt name fails.
        props.put("auto.create.topics.enable", "false");
        // Nobody else will join: assign partitions as soon as the first member arrives.
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    /**
     * Makes sure the port can be bound now, so a taken port fails with one clear line rather
     * than a stack trace from deep inside Kafka. Port 0 becomes a free port.
     */
    private int claimPort(int port, String property) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.host(), port));
            return socket.getLocalPort();
        } catch (BindException e) {
            throw new KafkaPortInUseException(settings.host(), port, property);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check " + settings.host() + ":" + port
                    + " for the embedded Kafka broker", e);
        }
    }

    /** Kafka reports a lost bind race deep in a cause chain; surface it as the named failure. */
    private EmbeddedKafkaException startFailure(RuntimeException failure, int port, int controllerPort) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                String message = String.valueOf(failure.getMessage());
                boolean controller = message.contains(":" + controllerPort);
                return new KafkaPortInUseException(settings.host(), controller ? controllerPort : port,
                        controller ? "berth.kafka.embedded.controller-port" : "berth.kafka.embedded.port");
            }
        }
        return new EmbeddedKafkaException("The embedded Kafka broker failed to start: " + failure.getMessage(),
                failure);
    }

    private static void stopQuietly(KafkaRaftServer raftServer) {
        try {
            raftServer.shutdown();
            raftServer.awaitShutdown();
        } catch (RuntimeException e) {
            LOGGER.warnf("The embedded Kafka broker did not stop cleanly: %s", e.getMessage());
            LOGGER.debug("Embedded Kafka broker shutdown failure", e);
        }
    }
}
