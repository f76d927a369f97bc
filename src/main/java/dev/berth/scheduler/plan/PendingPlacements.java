package dev.berth.scheduler.plan;

import dev.berth.model.Resources;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.placement.TaskDemand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What placement plans already submitted to Kafka but not yet committed take. Several
 * RunTask plans ride in one transaction (group commit), so a plan is placed while earlier
 * ones are still in flight: placement counts their tasks here until the state holds them.
 * The writer's committer thread applies a committed plan to the state and releases it here
 * straight after, in the same step (not when its caller wakes up), so its tasks are counted
 * twice only for that instant, and never by neither. Thread-safe.
 */
public final class PendingPlacements {

    private final Map<Long, Reservation> byPlan = new HashMap<>();
    private final Map<String, Usage> byInstance = new HashMap<>();
    private final Map<String, Integer> tokens = new HashMap<>();
    private long nextPlan;

    private record Reservation(List<DesiredTask> tasks, String tokenKey) {
    }

    private static final class Usage {
        int cpu;
        int memory;
        final Map<Integer, Integer> ports = new HashMap<>();
        int tasks;
    }

    /** Counts a plan's tasks (and its client token, if any) until {@link #release}. */
    public synchronized long reserve(List<DesiredTask> tasks, String tokenKey) {
        long plan = ++nextPlan;
        byPlan.put(plan, new Reservation(List.copyOf(tasks), tokenKey));
        for (DesiredTask task : tasks) {
            change(task, 1);
        }
        if (tokenKey != null) {
            tokens.merge(tokenKey, 1, Integer::sum);
        }
        return plan;
    }

    /** Stops counting a plan; a plan already released is left alone. */
    public synchronized void release(long plan) {
        Reservation reservation = byPlan.remove(plan);
        if (reservation == null) {
            return;
        }
        for (DesiredTask task : reservation.tasks()) {
            change(task, -1);
        }
        if (reservation.tokenKey() != null) {
            tokens.computeIfPresent(reservation.tokenKey(), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void change(DesiredTask task, int sign) {
        Resources demand = TaskDemand.of(task.taskDefinition(), task.overrides());
        Usage usage = byInstance.computeIfAbsent(task.instanceId(), id -> new Usage());
        usage.cpu += sign * demand.cpu();
        usage.memory += sign * demand.memory();
        usage.tasks += sign;
        for (Integer port : demand.ports()) {
            usage.ports.merge(port, sign, Integer::sum);
            if (usage.ports.get(port) <= 0) {
                usage.ports.remove(port);
            }
        }
        if (usage.tasks <= 0) {
            byInstance.remove(task.instanceId());
        }
    }

    /**
     * What in-flight plans take, instance by instance, as of now: an immutable copy. Read it
     * <em>before</em> the state (see {@link PlanApplier#candidates}).
     */
    public synchronized Map<String, Resources> snapshot() {
        Map<String, Resources> copy = new HashMap<>();
        byInstance.forEach((id, usage) -> copy.put(id, new Resources(usage.cpu, usage.memory,
                Set.copyOf(usage.ports.keySet()))));
        return Map.copyOf(copy);
    }

    /** Whether a plan with this client token is still in flight. */
    public synchronized boolean isInFlight(String tokenKey) {
        return tokens.containsKey(tokenKey);
    }
}
