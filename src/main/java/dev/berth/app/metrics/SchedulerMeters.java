package dev.berth.app.metrics;

import dev.berth.app.BerthConfig;
import dev.berth.app.Role;
import dev.berth.protocol.KafkaSettings;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.SchedulerObserver.AnswerApart;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.messaging.SchedulerKafka;
import dev.berth.scheduler.placement.FeasibilityCheck;
import dev.berth.scheduler.state.SchedulerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.function.Supplier;

/**
 * The scheduler's metrics: placements and plan applications as the scheduler reports them
 * ({@link SchedulerObserver}), and gauges read from the running scheduler when the role runs
 * here. {@code berth_placements_total} counts a placed task with {@code result=placed,
 * reason=none} and each instance's refusal with {@code result=failed} and the ECS reason.
 */
@ApplicationScoped
public class SchedulerMeters implements SchedulerObserver {

    static final String PLAN_LOOP = "scheduler-plan";
    static final String RECONCILE_LOOP = "scheduler-reconcile";
    static final String PLACED = "placed";
    static final String FAILED = "failed";
    static final String NO_REASON = "none";

    private final MeterRegistry registry;

    /** Registers nothing by itself: a process without the scheduler role shows no scheduler series. */
    public SchedulerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void placed(int tasks) {
        placements(PLACED, NO_REASON).increment(tasks);
    }

    @Override
    public void refused(String reason) {
        placements(FAILED, reason).increment();
    }

    @Override
    public <T> T timePlan(Supplier<T> apply) {
        return reconciles(PLAN_LOOP).record(apply);
    }

    @Override
    public void timeReconcile(Runnable round) {
        reconciles(RECONCILE_LOOP).record(round);
    }

    @Override
    public void answeredApart(AnswerApart cause) {
        answersApart(cause).increment();
    }

    private Counter answersApart(AnswerApart cause) {
        return Counter.builder(Meters.REQUEST_ANSWERS_APART)
                .description("Requests of berth.requests whose changes committed apart from their answer, by cause")
                .tag("cause", cause.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .register(registry);
    }

    private Timer reconciles(String loop) {
        return Timer.builder(Meters.RECONCILE)
                .description("How long one reconciliation takes")
                .tag("loop", loop)
                .register(registry);
    }

    private Counter placements(String result, String reason) {
        return Counter.builder(Meters.PLACEMENTS)
                .description("Placement decisions: tasks placed, and instances that refused a task, by reason")
                .tag("result", result)
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * Takes the scheduler's gauges back when the application stops: a registry that outlives it
     * (a test JVM starts several applications) must not keep reading a stopped scheduler's beans.
     */
    void unbind(@Observes ShutdownEvent event) {
        List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>(
                registry.find(Meters.TASKS).tag("role", "scheduler").meters());
        gauges.addAll(registry.find(Meters.CONSUMER_LAG).tag("reader", SchedulerKafka.READER).meters());
        gauges.addAll(registry.find(Meters.INSTANCES_SHARED).meters());
        gauges.forEach(registry::remove);
    }

    void bind(@Observes StartupEvent event, BerthConfig config, SchedulerRole scheduler, KafkaSettings settings) {
        if (!config.roles().contains(Role.scheduler)) {
            return;
        }
        // Every series exists from the start, at zero, so rates and alerts need no "absent" case.
        reconciles(PLAN_LOOP);
        reconciles(RECONCILE_LOOP);
        placements(PLACED, NO_REASON);
        for (AnswerApart cause : AnswerApart.values()) {
            answersApart(cause);
        }
        for (FeasibilityCheck check : FeasibilityCheck.values()) {
            if (check != FeasibilityCheck.CLUSTER) {
                placements(FAILED, check.reason());
            }
        }
        Meters.tasksByStatus(registry, "scheduler", () -> scheduler.state().map(SchedulerState::countByLastStatus));
        Meters.consumerLag(registry, settings, SchedulerKafka.READER, SchedulerKafka.READ, scheduler::stateReader);
        Meters.replaced(registry, Meters.INSTANCES_SHARED);
        Gauge.builder(Meters.INSTANCES_SHARED,
                        () -> scheduler.state().map(SchedulerState::sharedInstanceCount).orElse(0))
                .description("Container instances that two agents report as: each runs the tasks placed on it")
                .register(registry);
    }
}
