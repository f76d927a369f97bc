package dev.berth.app;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kafka} role as the role launcher sees it. The broker itself lives in
 * {@code dev.berth.kafka}, which the native build leaves out (Scala, JMX and reflection
 * everywhere); this seam lets the launcher compile and run without it, and say so plainly
 * when {@code BERTH_ROLES} asks for a role the binary does not have.
 *
 * <pre>{@code
 * if (roles.contains(Role.kafka)) {
 *     broker = kafkaRole.start(Path.of(config.dataDir()));   // EmbeddedKafkaRole.Unavailable if left out
 * }
 * ... on shutdown, after the roles that use it: broker.close();
 * }</pre>
 */
@Unremovable
@ApplicationScoped
public class EmbeddedKafkaRole {

    /** What {@code dev.berth.kafka} provides, as a CDI bean, when it is in the build. */
    public interface Launcher {
        /** Starts the broker with its data under {@code <berthDataDir>/kafka}; returns once it serves clients. */
        RunningBroker start(Path berthDataDir);
    }

    /** A started embedded broker. */
    public interface RunningBroker extends AutoCloseable {
        /** {@code host:port} of its client listener. */
        String bootstrapServers();

        /** The TCP ports its listeners hold (client and controller). */
        Set<Integer> ports();

        /** Stops the broker; its data stays for the next start. */
        @Override
        void close();
    }

    /** The binary was built without the kafka role (the native build). */
    public static final class Unavailable extends IllegalStateException {
        Unavailable() {
            super("the kafka role is not in this native build: point BERTH_KAFKA_BOOTSTRAP_SERVERS at a Kafka "
                    + "cluster and set BERTH_ROLES to agent and/or scheduler, or run the JVM build (java -jar) "
                    + "for an embedded broker");
        }
    }

    private final Optional<Launcher> launcher;

    @Inject
    EmbeddedKafkaRole(Instance<Launcher> launchers) {
        this(launchers.isResolvable() ? Optional.of(launchers.get()) : Optional.empty());
    }

    EmbeddedKafkaRole(Optional<Launcher> launcher) {
        this.launcher = launcher;
    }

    /** Whether this binary can play the kafka role. */
    public boolean isAvailable() {
        return launcher.isPresent();
    }

    /**
     * Starts the embedded broker.
     *
     * @throws Unavailable when this binary was built without the kafka role
     */
    public RunningBroker start(Path berthDataDir) {
        return launcher.orElseThrow(Unavailable::new).start(berthDataDir);
    }
}
