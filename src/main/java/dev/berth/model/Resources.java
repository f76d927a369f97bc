package dev.berth.model;

import java.util.Set;
import java.util.TreeSet;

/**
 * Schedulable resources of a container instance or a task: CPU units (1024 per core),
 * memory in MiB, and host ports, TCP and UDP apart (ECS's PORTS and PORTS_UDP). As in ECS,
 * the ports of an instance are the ports that are taken (reserved by the host or bound by a
 * task), not the free ones.
 */
public record Resources(int cpu, int memory, Set<Integer> ports, Set<Integer> portsUdp) {

    public static final Resources NONE = new Resources(0, 0, Set.of());

    public Resources {
        ports = ports == null ? Set.of() : Set.copyOf(ports);
        portsUdp = portsUdp == null ? Set.of() : Set.copyOf(portsUdp);
    }

    /** With TCP ports only. */
    public Resources(int cpu, int memory, Set<Integer> ports) {
        this(cpu, memory, ports, Set.of());
    }

    public Resources plus(Resources other) {
        return new Resources(cpu + other.cpu, memory + other.memory, union(ports, other.ports),
                union(portsUdp, other.portsUdp));
    }

    /** What remains after a task takes {@code used}: less CPU and memory, more ports taken. */
    public Resources allocate(Resources used) {
        return new Resources(cpu - used.cpu, memory - used.memory, union(ports, used.ports),
                union(portsUdp, used.portsUdp));
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }
}
