package dev.berth.app.metrics;

import dev.berth.agent.AgentObserver;
import dev.berth.agent.AgentRole;
import dev.berth.agent.messaging.DesiredTaskReader;
import dev.berth.app.BerthConfig;
import dev.berth.app.Role;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The agent's metrics: Docker call latency and task sync duration as the agent reports them
 * ({@link AgentObserver}), and gauges read from the running agent when the role runs here.
 * Remembers how the last Docker call ended, for the agent's readiness.
 */
@ApplicationScoped
public class AgentMeters implements AgentObserver {

    static final String SYNC_LOOP = "agent-task-sync";

    private final MeterRegistry registry;
    private volatile Outcome lastDockerOutcome;

    /** Registers nothing by itself: a process without the agent role shows no agent series. */
    public AgentMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void called(String call, Outcome outcome, Duration took) {
        lastDockerOutcome = outcome;
        Timer.builder(Meters.DOCKER_CALL)
                .description("Calls to the Docker engine")
                .tag("call", call)
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(took);
    }

    @Override
    public void time(Runnable sync) {
        syncs().record(sync);
    }

    private Timer syncs() {
        return Timer.builder(Meters.RECONCILE)
                .description("How long one reconciliation takes")
                .tag("loop", SYNC_LOOP)
                .register(registry);
    }

    /** How the last call to Docker ended; empty before the first. */
    public Optional<Outcome> lastDockerOutcome() {
        return Optional.ofNullable(lastDockerOutcome);
    }

    /**
     * Takes the agent's gauges back when the application stops: a registry that outlives it (a
     * test JVM starts several applications) must not keep reading a stopped agent's beans.
     */
    void unbind(@Observes ShutdownEvent event) {
        List<io.micrometer.core.instrument.Meter> agents = new java.util.ArrayList<>(
                registry.find(Meters.TASKS).tag("role", "agent").meters());
        agents.addAll(registry.find(Meters.CONSUMER_LAG).tag("reader", DesiredTaskReader.NAME).meters());
        agents.addAll(registry.find(Meters.STATE_CHANGES_BUFFERED).meters());
        agents.forEach(registry::remove);
    }

    void bind(@Observes StartupEvent event, BerthConfig config, AgentRole agent, KafkaSettings settings) {
        if (!config.roles().contains(Role.agent)) {
            return;
        }
        syncs();
        Meters.tasksByStatus(registry, "agent", () -> agent.running().map(r -> r.engine().countByStatus()));
        Meters.consumerLag(registry, settings, DesiredTaskReader.NAME, List.of(Topic.TASKS),
                () -> agent.running().map(AgentRole.Running::reader));
        Gauge.builder(Meters.STATE_CHANGES_BUFFERED,
                        () -> agent.running().map(r -> r.sender().pendingCount()).orElse(0))
                .description("Task state changes waiting for Kafka's acknowledgement")
                .register(registry);
    }
}
