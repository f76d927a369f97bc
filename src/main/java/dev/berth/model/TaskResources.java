package dev.berth.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a task takes from its container instance, by ECS's rules, the same for the scheduler
 * that places it and the agent that admits it: the task-level cpu and memory when set
 * (overrides first), else the sum over its containers of cpu and of memoryReservation-or-
 * memory; every static host port, TCP and UDP apart, and in {@code host} network mode every
 * containerPort mapped without a hostPort (the container binds it on the host). Ephemeral
 * host ports (bridge mode, hostPort 0) are Docker's to choose and are not counted. Pure.
 */
public record TaskResources(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts) {

    public TaskResources {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    /**
     * The task's resources. A task-level size that is not one (the scheduler refuses it at
     * registration) counts as unset, so the containers' sum counts instead.
     */
    public static TaskResources of(TaskDefinition definition, TaskOverride overrides) {
        Map<String, ContainerOverride> byName = new HashMap<>();
        if (overrides != null) {
            for (ContainerOverride o : overrides.containerOverridesOrEmpty()) {
                byName.put(o.name(), o);
            }
        }
        int containerCpu = 0;
        int containerMemory = 0;
        Set<Integer> tcp = new TreeSet<>();
        Set<Integer> udp = new TreeSet<>();
        boolean hostNetwork = "host".equals(definition.networkMode());
        for (ContainerDefinition c : definition.containers()) {
            ContainerOverride o = byName.get(c.name());
            containerCpu += o != null && o.cpu() != null ? o.cpu() : c.cpuOrZero();
            containerMemory += reservedMemory(c, o);
            for (PortMapping p : c.portMappingsOrEmpty()) {
                Integer port = hostPort(p, hostNetwork);
                if (port != null) {
                    ("udp".equalsIgnoreCase(p.protocolOrDefault()) ? udp : tcp).add(port);
                }
            }
        }
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : definition.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : definition.memory();
        return new TaskResources(size(taskCpu, true).orElse(containerCpu), size(taskMemory, false)
                .orElse(containerMemory), tcp, udp);
    }

    /** CPU, memory and TCP host ports, in the shape instances register. */
    public Resources resources() {
        return new Resources(cpu, memory, tcpPorts);
    }

    private static java.util.OptionalInt size(String value, boolean cpu) {
        try {
            return cpu ? TaskSize.cpuUnits(value) : TaskSize.memoryMiB(value);
        } catch (IllegalArgumentException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** The host port a mapping binds, or null for an ephemeral one. */
    private static Integer hostPort(PortMapping p, boolean hostNetwork) {
        if (p.hasStaticHostPort()) {
            return p.hostPort();
        }
        return hostNetwork ? p.containerPort() : null;
    }

    private static int reservedMemory(ContainerDefinition c, ContainerOverride o) {
        if (o == null) {
            return c.reservedMemory();
        }
        if (o.memoryReservation() != null) {
            return o.memoryReservation();
        }
        if (c.memoryReservation() != null) {
            return c.memoryReservation();
        }
        if (o.memory() != null) {
            return o.memory();
        }
        return c.reservedMemory();
    }
}
