package dev.berth.app;

import dev.berth.agent.AgentRole;
import dev.berth.kafka.EmbeddedKafkaBroker;
import dev.berth.kafka.EmbeddedKafkaConfig;
import dev.berth.scheduler.SchedulerRole;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the roles this process plays, in dependency order (the embedded broker first, so
 * the others find Kafka), and stops them in reverse. This is the only code that sees both
 * the agent and the scheduler; they still meet only on Kafka.
 */
@ApplicationScoped
public class RoleLauncher {

    private static final Logger LOGGER = Logger.getLogger(RoleLauncher.class);

    private final BerthConfig config;
    private final EmbeddedKafkaConfig embeddedKafka;
    private final Instance<SchedulerRole> scheduler;
    private final Instance<AgentRole> agent;
    private final String version;
    private volatile EmbeddedKafkaBroker broker;

    public RoleLauncher(BerthConfig config, EmbeddedKafkaConfig embeddedKafka, Instance<SchedulerRole> scheduler,
            Instance<AgentRole> agent, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.config = config;
        this.embeddedKafka = embeddedKafka;
        this.scheduler = scheduler;
        this.agent = agent;
        this.version = version;
    }

    void start(@Observes @Priority(100) StartupEvent event) {
        Set<Role> roles = config.roles();
        LOGGER.infof("Berth %s starting with roles %s, data under %s", version, roles, config.dataDir());
        if (roles.contains(Role.kafka)) {
            try {
                broker = new EmbeddedKafkaBroker(EmbeddedKafkaBroker.Settings.of(embeddedKafka, Path.of(config.dataDir())));
                broker.start();
            } catch (RuntimeException e) {
                LOGGER.errorf("The embedded Kafka broker cannot start: %s", e.getMessage());
                Quarkus.asyncExit(1);
                return;
            }
        }
        if (roles.contains(Role.scheduler)) {
            scheduler.get().start();
        }
        if (roles.contains(Role.agent)) {
            agent.get().start();
        }
    }

    /** The embedded broker's bootstrap servers while the kafka role runs here and its broker is up. */
    public Optional<String> embeddedBroker() {
        EmbeddedKafkaBroker running = broker;
        try {
            return running == null ? Optional.empty() : Optional.of(running.bootstrapServers());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        Set<Role> roles = config.roles();
        if (roles.contains(Role.agent)) {
            agent.get().stop();
        }
        if (roles.contains(Role.scheduler)) {
            scheduler.get().stop();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
