package dev.berth.app.health;

import dev.berth.agent.AgentConfig;
import dev.berth.agent.AgentRole;
import dev.berth.agent.engine.Jitter;
import dev.berth.agent.runtime.RuntimeCallObserver.Outcome;
import dev.berth.app.BerthConfig;
import dev.berth.app.Role;
import dev.berth.app.metrics.AgentMeters;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The agent's checks, registered only when this process plays the agent role: liveness
 * {@code agent-loops} (the tasks reader, the resync ticker and the heartbeat turn) and
 * readiness {@code agent} (Docker answered its last call, the tasks have been rebuilt from
 * Kafka and Docker, and the instance is registered: when its cluster does not exist, the
 * check says so with the command that creates it). The resync lists the containers every
 * resync interval, so the last Docker call is never older than that.
 */
@ApplicationScoped
public class AgentHealth {

    private final HealthRegistry liveness;
    private final HealthRegistry readiness;
    /** Whether this role's checks are in the registries: only when the role runs. */
    private volatile boolean registered;
    private final AgentRole agent;
    private final AgentMeters meters;

    public AgentHealth(@Liveness HealthRegistry liveness, @Readiness HealthRegistry readiness, AgentRole agent,
            AgentMeters meters) {
        this.liveness = liveness;
        this.readiness = readiness;
        this.agent = agent;
        this.meters = meters;
    }

    void register(@Observes StartupEvent event, BerthConfig config, AgentConfig agentConfig) {
        if (!config.roles().contains(Role.agent)) {
            return;
        }
        Duration resync = agentConfig.resyncInterval()
                .plusMillis((long) (agentConfig.resyncInterval().toMillis() * Jitter.MAX_FRACTION));
        LoopLiveness loops = new LoopLiveness("agent-loops", List.of(
                new Loop("tasks-reader", Readers.PERIOD,
                        () -> agent.running().flatMap(r -> r.reader().lastTick())),
                new Loop("resync", resync, () -> agent.running().flatMap(r -> r.engine().lastResync())),
                new Loop("heartbeat", agentConfig.heartbeatInterval(),
                        () -> agent.running().flatMap(r -> r.heartbeat().lastBeat()))),
                Clock.systemUTC(), agent::startFailure);
        liveness.register("agent-loops", new LoggedCheck(LoggedCheck.Probe.LIVENESS, loops));
        readiness.register("agent", new LoggedCheck(LoggedCheck.Probe.READINESS, this::readiness));
        registered = true;
    }

    /**
     * Takes the checks back when the application stops: a health registry that outlives it (a
     * test JVM starts several applications) must not keep calling a stopped agent's beans.
     */
    void unregister(@Observes ShutdownEvent event) {
        if (registered) {
            registered = false;
            liveness.remove("agent-loops");
            readiness.remove("agent");
        }
    }

    private HealthCheckResponse readiness() {
        Optional<Outcome> docker = meters.lastDockerOutcome();
        boolean dockerAnswers = docker.map(Outcome::engineAnswered).orElse(false);
        boolean rebuilt = agent.isReady();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("docker", docker.map(o -> dockerAnswers ? "reachable" : "last call: " + o.name().toLowerCase())
                .orElse("not called yet"));
        data.put("tasks", agent.running().map(r -> r.engine().isCaughtUp()).orElse(false)
                ? "rebuilt from Kafka and Docker" : "rebuilding");
        agent.registrationProblem().ifPresent(problem -> data.put("registration", problem));
        return new HealthCheckResponse("agent",
                dockerAnswers && rebuilt ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(data));
    }
}
