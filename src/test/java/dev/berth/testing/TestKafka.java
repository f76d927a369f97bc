package dev.berth.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM for tests: one KRaft node, broker and controller combined,
 * started with Kafka's own {@link KafkaClusterTestKit}, data in a temporary directory that
 * {@link #close()} deletes. Its settings match the embedded {@code kafka} role's single-node
 * ones, so tests see the broker behaviour that a one-host Berth sees.
 *
 * <pre>{@code
 * try (TestKafka kafka = TestKafka.start()) {
 *     kafka.createTopic("berth.tasks", 6);
 *     ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * Quarkus tests use {@link KafkaBrokerResource}, which wraps this class.
 */
public final class TestKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final boolean secured;

    private TestKafka(KafkaClusterTestKit cluster, boolean secured) {
        this.cluster = cluster;
        this.secured = secured;
    }

    /** Formats, starts and waits until the broker serves clients. */
    public static TestKafka start() {
        return start(new TestKitNodes.Builder(), Map.of());
    }

    /**
     * A broker whose client listener takes SASL/PLAIN only and authorizes every request with
     * Kafka's ACLs ({@code StandardAuthorizer}, nothing allowed without an ACL), as a shared
     * production Kafka does. {@code users} maps each user name to its password; the user
     * {@value #ADMIN} (password {@value #ADMIN_PASSWORD}) is the one super user, for the test's
     * own admin client ({@link #clientProperties(String, String)}).
     */
    public static TestKafka startSecured(Map<String, String> users) {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + ADMIN + "\" password=\"" + ADMIN_PASSWORD + "\" user_" + ADMIN + "=\""
                + ADMIN_PASSWORD + "\"");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        jaas.append(';');
        // The controller's listener too: no principal is anonymous, the node itself is the super user.
        return start(new TestKitNodes.Builder().setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT),
                Map.of("listener.name.external.plain.sasl.jaas.config", jaas.toString(),
                        "listener.name.controller.plain.sasl.jaas.config", jaas.toString(),
                        "super.users", "User:" + ADMIN));
    }

    /** The super user of {@link #startSecured(Map)}. */
    public static final String ADMIN = "plain-admin";
    /** Its password. */
    public static final String ADMIN_PASSWORD = "plain-admin-secret";

    /** The client settings of a user of {@link #startSecured(Map)}: SASL/PLAIN with its password. */
    public Map<String, Object> clientProperties(String user, String password) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, plainLogin(user, password));
    }

    /** A {@code sasl.jaas.config} value for a PLAIN user. */
    public static String plainLogin(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static TestKafka start(TestKitNodes.Builder nodes, Map<String, String> extra) {
        boolean secured = !extra.isEmpty();
        KafkaClusterTestKit cluster = null;
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build());
            extra.forEach(builder::setConfigProp);
            cluster = builder
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("default.replication.factor", "1")
                    .setConfigProp("min.insync.replicas", "1")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestKafka(cluster, secured);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Cannot start the test Kafka broker: " + e.getMessage(), e);
        }
    }

    /** {@code host:port} of the broker's client listener. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A new admin client on this broker (the super user's on a secured one); the caller closes it. */
    public Admin admin() {
        return Admin.create(secured ? clientProperties(ADMIN, ADMIN_PASSWORD)
                : Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates a topic with one replica and waits until the broker has it. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    /**
     * Stops the broker's client side (the controller stays up, the data stays): clients see
     * a Kafka outage until {@link #startBroker()}.
     */
    public void stopBroker() {
        cluster.brokers().values().forEach(broker -> broker.shutdown());
    }

    /** Starts the broker stopped by {@link #stopBroker()} again, on the same address and data. */
    public void startBroker() {
        cluster.brokers().values().forEach(broker -> broker.startup());
        try {
            cluster.waitForReadyBrokers();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The test Kafka broker did not come back: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while restarting the test Kafka broker", e);
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the test Kafka broker: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception failure) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
