package dev.berth.agent.engine;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.PortMapping;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.protocol.DesiredTask;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a task holds on this host while it runs, by the rules the scheduler places with: the
 * task-level cpu and memory when set (overrides first), else the sum over its containers of
 * cpu and of memoryReservation-or-memory; every static host port by protocol, and in
 * {@code host} network mode every containerPort mapped without a hostPort (the container binds
 * it on the host). Ephemeral host ports (bridge mode, hostPort 0) are Docker's to choose and
 * are not held.
 */
public record TaskReservation(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts) {

    public static final TaskReservation NOTHING = new TaskReservation(0, 0, Set.of(), Set.of());
    private static final int UNITS_PER_VCPU = 1024;
    private static final int MIB_PER_GB = 1024;

    public TaskReservation {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    public static TaskReservation of(DesiredTask task) {
        TaskDefinition definition = task.taskDefinition();
        TaskOverride overrides = task.overrides();
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
            containerMemory += memory(c, o);
            for (PortMapping p : c.portMappingsOrEmpty()) {
                Set<Integer> ports = "udp".equalsIgnoreCase(p.protocolOrDefault()) ? udp : tcp;
                if (p.hasStaticHostPort()) {
                    ports.add(p.hostPort());
                } else if (hostNetwork && p.containerPort() != null) {
                    ports.add(p.containerPort());
                }
            }
        }
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : definition.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : definition.memory();
        return new TaskReservation(size(taskCpu, "vcpu", UNITS_PER_VCPU).orElse(containerCpu),
                size(taskMemory, "gb", MIB_PER_GB).orElse(containerMemory), tcp, udp);
    }

    private static int memory(ContainerDefinition c, ContainerOverride o) {
        if (o != null && o.memoryReservation() != null) {
            return o.memoryReservation();
        }
        if (c.memoryReservation() != null) {
            return c.memoryReservation();
        }
        if (o != null && o.memory() != null) {
            return o.memory();
        }
        return c.reservedMemory();
    }

    /**
     * A task-level size as ECS writes it ({@code "256"}, {@code "1 vCPU"}, {@code "512"},
     * {@code "1 GB"}); empty when unset or not a size, which the scheduler refused at
     * registration, so the containers' sum counts instead.
     */
    private static OptionalInt size(String value, String bigUnit, int factor) {
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith(bigUnit)) {
                BigDecimal amount = new BigDecimal(text.substring(0, text.length() - bigUnit.length()).trim());
                return OptionalInt.of(amount.multiply(BigDecimal.valueOf(factor)).intValueExact());
            }
            return OptionalInt.of(Integer.parseInt(text));
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
