package dev.berth.app.health;

import dev.berth.app.BerthConfig;
import dev.berth.app.Role;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.SchedulerConfig;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.reconcile.ReconcileLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The scheduler's checks, registered only when this process plays the scheduler role:
 * liveness {@code scheduler-loops} (the state reader and the task reconciliation turn) and
 * readiness {@code scheduler}
 * (the state has been rebuilt from Kafka, so the ECS API answers).
 */
@ApplicationScoped
public class SchedulerHealth {

    private final HealthRegistry liveness;
    private final HealthRegistry readiness;
    /** Whether this role's checks are in the registries: only when the role runs. */
    private volatile boolean registered;
    private final SchedulerRole scheduler;

    public SchedulerHealth(@Liveness HealthRegistry liveness, @Readiness HealthRegistry readiness,
            SchedulerRole scheduler) {
        this.liveness = liveness;
        this.readiness = readiness;
        this.scheduler = scheduler;
    }

    /**
     * Takes the checks back when the application stops: a health registry that outlives it (a
     * test JVM starts several applications) must not keep calling a stopped scheduler's beans.
     */
    void unregister(@Observes ShutdownEvent event) {
        if (registered) {
            registered = false;
            liveness.remove("scheduler-loops");
            readiness.remove("scheduler");
        }
    }

    void register(@Observes StartupEvent event, BerthConfig config, SchedulerConfig schedulerConfig) {
        if (!config.roles().contains(Role.scheduler)) {
            return;
        }
        Duration reconcilePeriod = ReconcileLoop.longestWait(schedulerConfig.reconcileInterval());
        registered = true;
        LoopLiveness loops = new LoopLiveness("scheduler-loops", List.of(
                new Loop("state-reader", Readers.PERIOD,
                        () -> scheduler.stateReader().flatMap(TopicReader::lastTick)),
                new Loop("reconcile", reconcilePeriod,
                        () -> scheduler.reconcileLoop().flatMap(ReconcileLoop::lastTick))),
                Clock.systemUTC(), scheduler::startFailure);
        liveness.register("scheduler-loops", new LoggedCheck(LoggedCheck.Probe.LIVENESS, loops));
        readiness.register("scheduler", new LoggedCheck(LoggedCheck.Probe.READINESS, () -> {
            boolean rebuilt = scheduler.isStateRebuilt();
            SchedulerRole.Leader leader = scheduler.leader();
            String leading = leader instanceof SchedulerRole.Leader.Here ? "this replica"
                    : leader instanceof SchedulerRole.Leader.There there ? there.replicaId() + " at " + there.apiUrl()
                    : "none known yet (election or take-over under way)";
            return new HealthCheckResponse("scheduler",
                    scheduler.isReady() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                    Optional.of(Map.of("state", rebuilt ? "rebuilt from Kafka" : "rebuilding from Kafka",
                            "replica", scheduler.replicaId(), "leader", leading)));
        }));
    }
}
