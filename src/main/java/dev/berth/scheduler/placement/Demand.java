package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import java.util.List;
import java.util.Set;

/**
 * What one task needs of its container instance: CPU units, memory in MiB, the static host
 * ports it binds (TCP and UDP apart, as ECS registers PORTS and PORTS_UDP), and the
 * attributes its task definition requires.
 */
public record Demand(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts,
        List<RequiredAttribute> requiredAttributes) {

    public Demand {
        tcpPorts = tcpPorts == null ? Set.of() : Set.copyOf(tcpPorts);
        udpPorts = udpPorts == null ? Set.of() : Set.copyOf(udpPorts);
        requiredAttributes = requiredAttributes == null ? List.of() : List.copyOf(requiredAttributes);
    }

    /** CPU, memory and TCP ports only. */
    public static Demand of(Resources resources) {
        return new Demand(resources.cpu(), resources.memory(), resources.ports(), Set.of(), List.of());
    }

    /** The CPU, memory and TCP ports, in the shape instances register. */
    public Resources resources() {
        return new Resources(cpu, memory, tcpPorts);
    }
}
