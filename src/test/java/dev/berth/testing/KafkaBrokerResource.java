package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real Kafka broker ({@link TestKafka}) before a Quarkus test and points Berth at it.
 *
 * <p>Berth then runs the {@code scheduler} and {@code agent} roles only: tests never start the
 * embedded {@code kafka} role, they use this broker. Another set of roles can be given with the
 * {@code roles} init argument:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
 * class SchedulerIT { ... KafkaBrokerResource.bootstrapServers() ... }
 * }</pre>
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** System property that also carries the bootstrap servers, for code in another class loader. */
    public static final String BOOTSTRAP_SERVERS_PROPERTY = "berthtest.kafka.bootstrap-servers";

    private static final String DEFAULT_ROLES = "scheduler,agent";

    private static volatile String bootstrapServers;

    private String roles = DEFAULT_ROLES;
    private TestKafka kafka;
    private Path dataDir;

    @Override
    public void init(Map<String, String> initArgs) {
        roles = initArgs.getOrDefault("roles", DEFAULT_ROLES);
    }

    @Override
    public Map<String, String> start() {
        kafka = TestKafka.start();
        bootstrapServers = kafka.bootstrapServers();
        System.setProperty(BOOTSTRAP_SERVERS_PROPERTY, bootstrapServers);
        try {
            dataDir = Files.createTempDirectory("berth-test-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A test never touches the operator's data dir.
        return Map.of(
                "berth.kafka.bootstrap-servers", bootstrapServers,
                "berth.roles", roles,
                "berth.data-dir", dataDir.toString());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        bootstrapServers = null;
        System.clearProperty(BOOTSTRAP_SERVERS_PROPERTY);
    }

    /**
     * Bootstrap servers of the running broker, for tests that open their own admin clients,
     * producers and consumers.
     *
     * @throws IllegalStateException if no broker is running
     */
    public static String bootstrapServers() {
        String servers = bootstrapServers != null ? bootstrapServers : System.getProperty(BOOTSTRAP_SERVERS_PROPERTY);
        if (servers == null) {
            throw new IllegalStateException("No test Kafka broker is running: annotate the test with "
                    + "@WithTestResource(KafkaBrokerResource.class)");
        }
        return servers;
    }
}
