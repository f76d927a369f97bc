package dev.berth.model;

import java.util.Set;
import java.util.TreeSet;

/**
 * Schedulable resources of a container instance or a task: CPU units (1024 per core),
 * memory in MiB, and TCP host ports. As in ECS, the PORTS of an instance are the ports
 * that are taken (reserved by the host or bound by a task), not the free ones.
 */
public record Resources(int cpu, int memory, Set<Integer> ports) {

    public static final Resources NONE = new Resources(0, 0, Set.of());

    public Resources {
        ports = ports == null ? Set.of() : Set.copyOf(ports);
    }

    public Resources plus(Resources other) {
        Set<Integer> union = new TreeSet<>(ports);
        union.addAll(other.ports);
        return new Resources(cpu + other.cpu, memory + other.memory, union);
    }

    /** What remains after a task takes {@code used}: less CPU and memory, more ports taken. */
    public Resources allocate(Resources used) {
        Set<Integer> rest = new TreeSet<>(ports);
        rest.addAll(used.ports);
        return new Resources(cpu - used.cpu, memory - used.memory, rest);
    }
}
