package dev.berth.scheduler.state;

import dev.berth.model.Resources;
import dev.berth.scheduler.placement.TaskDemand;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the unstopped tasks of each container instance take, kept as tasks change rather
 * than summed on every query. Resources belong to the host: two instance ids on one host
 * (an agent that lost its identity and registered again) share its capacity, so each sees
 * what the other's tasks take. Not thread-safe: {@link SchedulerState} holds its monitor.
 */
final class Allocations {

    /** What one instance's tasks take, and how many run or wait. */
    record Usage(int cpu, int memory, Set<Integer> ports, int running, int pending) {
        static final Usage NONE = new Usage(0, 0, Set.of(), 0, 0);
    }

    private static final class Slot {
        int cpu;
        int memory;
        final Map<Integer, Integer> ports = new HashMap<>();
        final Map<Integer, Integer> udpPorts = new HashMap<>();
        int running;
        int pending;

        void add(Resources demand, Set<Integer> udp, int sign) {
            cpu += sign * demand.cpu();
            memory += sign * demand.memory();
            count(ports, demand.ports(), sign);
            count(udpPorts, udp, sign);
        }

        private static void count(Map<Integer, Integer> taken, Set<Integer> ports, int sign) {
            for (Integer port : ports) {
                if (taken.merge(port, sign, Integer::sum) <= 0) {
                    taken.remove(port);
                }
            }
        }

        Usage usage() {
            return new Usage(cpu, memory, Set.copyOf(ports.keySet()), running, pending);
        }
    }

    private final Map<String, Slot> byInstance = new HashMap<>();
    private final Map<String, String> hostOfInstance = new HashMap<>();
    private final Map<String, Set<String>> instancesOfHost = new HashMap<>();

    void take(TaskView task) {
        change(task, 1);
    }

    void release(TaskView task) {
        change(task, -1);
    }

    private void change(TaskView task, int sign) {
        if (task.isStopped() || task.instanceId() == null) {
            return;
        }
        Slot slot = byInstance.computeIfAbsent(task.instanceId(), id -> new Slot());
        slot.add(task.demand(), TaskDemand.demand(task.desired().taskDefinition(), task.desired().overrides())
                .udpPorts(), sign);
        if (task.isRunning()) {
            slot.running += sign;
        } else if (task.isPending()) {
            slot.pending += sign;
        }
    }

    /** The instance runs on this host (its registration's host name). */
    void register(String instanceId, String host) {
        String previous = hostOfInstance.put(instanceId, host);
        if (previous != null && !previous.equals(host)) {
            instancesOfHost.getOrDefault(previous, new LinkedHashSet<>()).remove(instanceId);
        }
        instancesOfHost.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(instanceId);
    }

    void unregister(String instanceId) {
        String host = hostOfInstance.remove(instanceId);
        if (host != null) {
            instancesOfHost.getOrDefault(host, new LinkedHashSet<>()).remove(instanceId);
        }
    }

    /** The instances registered on this instance's host, itself included: a copy. */
    Set<String> sharing(String instanceId) {
        String host = hostOfInstance.get(instanceId);
        Set<String> ids = host == null ? null : instancesOfHost.get(host);
        if (ids == null || ids.isEmpty()) {
            return Set.of(instanceId);
        }
        Set<String> result = new LinkedHashSet<>(ids);
        result.add(instanceId);
        return result;
    }

    /** The UDP host ports the tasks on this instance's host bind. */
    Set<Integer> udpTaken(String instanceId) {
        Set<Integer> taken = new TreeSet<>();
        for (String id : sharing(instanceId)) {
            Slot slot = byInstance.get(id);
            if (slot != null) {
                taken.addAll(slot.udpPorts.keySet());
            }
        }
        return taken;
    }

    Usage of(String instanceId) {
        Slot slot = byInstance.get(instanceId);
        return slot == null ? Usage.NONE : slot.usage();
    }

    /** What remains of the registered resources once every task on the instance's host is counted. */
    Resources remaining(String instanceId, Resources registered) {
        Resources base = registered == null ? Resources.NONE : registered;
        String host = hostOfInstance.get(instanceId);
        Set<String> sharing = host == null ? Set.of(instanceId) : instancesOfHost.getOrDefault(host, Set.of(instanceId));
        int cpu = base.cpu();
        int memory = base.memory();
        Set<Integer> ports = new TreeSet<>(base.ports());
        Set<Integer> udpPorts = new TreeSet<>(base.portsUdp());
        for (String id : sharing) {
            Slot slot = byInstance.get(id);
            if (slot != null) {
                cpu -= slot.cpu;
                memory -= slot.memory;
                ports.addAll(slot.ports.keySet());
                udpPorts.addAll(slot.udpPorts.keySet());
            }
        }
        return new Resources(cpu, memory, ports, udpPorts);
    }
}
