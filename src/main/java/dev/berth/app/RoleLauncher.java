package dev.berth.app;

import dev.berth.agent.AgentRole;
import dev.berth.api.kafka.KafkaEvents;
import dev.berth.api.kafka.KafkaRequests;
import dev.berth.scheduler.SchedulerRole;
import io.quarkus.runtime.LaunchMode;
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
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Starts the roles this process plays, in dependency order (the embedded broker first, so
 * the others find Kafka), and stops them in reverse. This is the only code that sees both
 * the agent and the scheduler; they still meet only on Kafka. The scheduler's beans and its
 * API's are created only where the scheduler role runs: an agent-only process never makes them.
 */
@ApplicationScoped
public class RoleLauncher {

    private static final Logger LOGGER = Logger.getLogger(RoleLauncher.class);
    /** Quarkus's own defaults, where the configuration names no port. */
    private static final int DEFAULT_HTTP_PORT = 8080;
    private static final int DEFAULT_HTTP_TEST_PORT = 8081;
    private static final int DEFAULT_MANAGEMENT_PORT = 9000;
    private static final int DEFAULT_MANAGEMENT_TEST_PORT = 9001;

    private final BerthConfig config;
    private final EmbeddedKafkaRole kafkaRole;
    private final Instance<SchedulerRole> scheduler;
    private final Instance<AgentRole> agent;
    private final Instance<KafkaRequests> kafkaRequests;
    private final Instance<KafkaEvents> kafkaEvents;
    private volatile EmbeddedKafkaRole.RunningBroker broker;

    public RoleLauncher(BerthConfig config, EmbeddedKafkaRole kafkaRole, Instance<SchedulerRole> scheduler,
            Instance<AgentRole> agent, Instance<KafkaRequests> kafkaRequests, Instance<KafkaEvents> kafkaEvents) {
        this.config = config;
        this.kafkaRole = kafkaRole;
        this.scheduler = scheduler;
        this.agent = agent;
        this.kafkaRequests = kafkaRequests;
        this.kafkaEvents = kafkaEvents;
    }

    void start(@Observes @Priority(100) StartupEvent event) {
        Set<Role> roles = config.roles();
        LOGGER.infof("%s starting with roles %s, data under %s", BuildInfo.load().describe(), roles, config.dataDir());
        if (roles.contains(Role.kafka)) {
            try {
                broker = kafkaRole.start(Path.of(config.dataDir()));
            } catch (RuntimeException e) {
                LOGGER.errorf("The embedded Kafka broker cannot start: %s", e.getMessage());
                Quarkus.asyncExit(1);
                return;
            }
        }
        if (roles.contains(Role.scheduler)) {
            // The ECS API on Kafka: berth.requests served, berth.events published by the leader.
            kafkaRequests.get().attach();
            kafkaEvents.get().attach();
            scheduler.get().start();
        }
        if (roles.contains(Role.agent)) {
            Set<Integer> ports = new TreeSet<>(httpPorts(ConfigProvider.getConfig(), LaunchMode.current()));
            EmbeddedKafkaRole.RunningBroker running = broker;
            if (running != null) {
                ports.addAll(running.ports());
            }
            agent.get().start(ports);
        }
    }

    /**
     * The TCP ports that this process's HTTP server and management interface listen on, as
     * configured; none for a port of 0 (a free one, chosen when it binds), nor for an HTTP
     * server that does not listen ({@code quarkus.http.host-enabled=false}, as the agent's
     * unit ships).
     */
    static Set<Integer> httpPorts(Config config, LaunchMode mode) {
        boolean test = mode == LaunchMode.TEST;
        Set<Integer> ports = new TreeSet<>();
        if (config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)) {
            ports.add(config.getOptionalValue(test ? "quarkus.http.test-port" : "quarkus.http.port", Integer.class)
                    .orElse(test ? DEFAULT_HTTP_TEST_PORT : DEFAULT_HTTP_PORT));
        }
        if (config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)) {
            ports.add(config.getOptionalValue(test ? "quarkus.management.test-port" : "quarkus.management.port",
                    Integer.class).orElse(test ? DEFAULT_MANAGEMENT_TEST_PORT : DEFAULT_MANAGEMENT_PORT));
        }
        ports.remove(0);
        return ports;
    }

    /** The embedded broker's bootstrap servers while the kafka role runs here and its broker is up. */
    public Optional<String> embeddedBroker() {
        EmbeddedKafkaRole.RunningBroker running = broker;
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
        EmbeddedKafkaRole.RunningBroker started = broker;
        if (started != null) {
            broker = null;
            started.close();
        }
    }
}
