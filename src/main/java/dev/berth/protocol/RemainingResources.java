package dev.berth.protocol;

import java.util.Set;

/**
 * What a container instance has left, as its agent's own ledger counts it: CPU units and
 * memory in MiB not held by a task, and the TCP and UDP host ports that are taken (reserved by
 * the host or bound by a task), as ECS's {@code remainingResources} lists PORTS and PORTS_UDP.
 */
public record RemainingResources(int cpu, int memory, Set<Integer> ports, Set<Integer> portsUdp) {

    public RemainingResources {
        ports = ports == null ? Set.of() : Set.copyOf(ports);
        portsUdp = portsUdp == null ? Set.of() : Set.copyOf(portsUdp);
    }
}
