package dev.berth.scheduler.plan;

import dev.berth.model.Resources;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.placement.TaskDemand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What placement plans already submitted to Kafka but not yet committed take. Several
 * RunTask plans ride in one transaction (group commit), so a plan is placed while earlier
 * ones are still in flight: placement counts their tasks here until the state holds them.
 *
 * <p>A task counts here only while the state does not hold it: the committer applies a
 * committed plan to the state before its caller releases the plan here, and a task counted
 * both here and in the state would look like twice its size to placement (and binpack,
 * which fills the fullest host first, would then refuse tasks on a cluster with room to
 * spare). {@link #snapshot} asks the state which tasks it holds, and the caller reads it and
 * the state's resources as one cut (see {@link PlanApplier#candidates}). Thread-safe.
 */
public final class PendingPlacements {

    private final Map<Long, Reservation> byPlan = new HashMap<>();
    /** The same reserved tasks by instance, so a re-check reads only its plan's instances. */
    private final Map<String, List<Reserved>> byInstance = new HashMap<>();
    private final Map<String, Integer> tokens = new HashMap<>();
    private long nextPlan;

    private record Reserved(String taskId, String instanceId, Resources demand, Set<Integer> udpPorts,
            String group) {
    }

    /**
     * What the in-flight tasks on one instance take (CPU, memory, TCP and UDP ports), and how
     * many of each task group they are.
     */
    public record InFlight(Resources demand, Set<Integer> udpPorts, Map<String, Integer> groups) {
    }

    private record Reservation(List<Reserved> tasks, String tokenKey) {
    }

    /** Counts a plan's tasks (and its client token, if any) until {@link #release}. */
    public synchronized long reserve(List<DesiredTask> tasks, String tokenKey) {
        long plan = ++nextPlan;
        List<Reserved> reserved = new ArrayList<>(tasks.size());
        for (DesiredTask task : tasks) {
            reserved.add(new Reserved(task.taskId(), task.instanceId(),
                    TaskDemand.of(task.taskDefinition(), task.overrides()),
                    TaskDemand.demand(task.taskDefinition(), task.overrides()).udpPorts(), task.group()));
        }
        byPlan.put(plan, new Reservation(reserved, tokenKey));
        for (Reserved task : reserved) {
            byInstance.computeIfAbsent(task.instanceId(), id -> new ArrayList<>()).add(task);
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
        for (Reserved task : reservation.tasks()) {
            List<Reserved> onInstance = byInstance.get(task.instanceId());
            onInstance.remove(task);
            if (onInstance.isEmpty()) {
                byInstance.remove(task.instanceId());
            }
        }
        if (reservation.tokenKey() != null) {
            tokens.computeIfPresent(reservation.tokenKey(), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /**
     * What the in-flight tasks that the state does not hold yet take, instance by instance, and
     * their task groups: an immutable copy. O(tasks in flight).
     *
     * @param held whether the state already holds a task (and so counts what it takes)
     */
    public synchronized Map<String, InFlight> snapshot(Predicate<String> held) {
        return snapshot(held, byInstance.keySet());
    }

    /**
     * The same as {@link #snapshot(Predicate)}, for the named instances only: O(tasks in flight
     * on them).
     */
    public synchronized Map<String, InFlight> snapshot(Predicate<String> held, Collection<String> instanceIds) {
        Map<String, InFlight> result = new HashMap<>();
        for (String instanceId : instanceIds) {
            List<Reserved> tasks = byInstance.get(instanceId);
            if (tasks == null) {
                continue;
            }
            Resources demand = null;
            Set<Integer> udp = new HashSet<>();
            Map<String, Integer> groups = new HashMap<>();
            for (Reserved task : tasks) {
                if (held.test(task.taskId())) {
                    continue;
                }
                demand = demand == null ? task.demand() : sum(demand, task.demand());
                udp.addAll(task.udpPorts());
                if (task.group() != null) {
                    groups.merge(task.group(), 1, Integer::sum);
                }
            }
            if (demand != null) {
                result.put(instanceId, new InFlight(demand, Set.copyOf(udp), Map.copyOf(groups)));
            }
        }
        return Map.copyOf(result);
    }

    private static Resources sum(Resources a, Resources b) {
        Set<Integer> ports = new HashSet<>(a.ports());
        ports.addAll(b.ports());
        return new Resources(a.cpu() + b.cpu(), a.memory() + b.memory(), Set.copyOf(ports));
    }

    /** Whether a plan with this client token is still in flight. */
    public synchronized boolean isInFlight(String tokenKey) {
        return tokens.containsKey(tokenKey);
    }
}
