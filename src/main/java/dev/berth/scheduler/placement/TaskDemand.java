package dev.berth.scheduler.placement;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.PortMapping;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a task takes from its container instance, by ECS's rules: the task-level cpu and
 * memory when set (overrides first), else the sum over its containers of cpu and of
 * memoryReservation-or-memory; every static host port, TCP and UDP apart, and in {@code host}
 * network mode every containerPort mapped without a hostPort (the container binds it on the
 * host); and the task definition's {@code requiresAttributes}.
 */
public final class TaskDemand {

    private TaskDemand() {
    }

    /** CPU, memory and TCP host ports: what instances register and allocations count. */
    public static Resources of(TaskDefinition definition, TaskOverride overrides) {
        return demand(definition, overrides).resources();
    }

    /** Everything placement checks: {@link #of}, plus UDP host ports and required attributes. */
    public static Demand demand(TaskDefinition definition, TaskOverride overrides) {
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
                    ("udp".equals(p.protocolOrDefault().toLowerCase(Locale.ROOT)) ? udp : tcp).add(port);
                }
            }
        }
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : definition.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : definition.memory();
        int cpu = TaskSize.cpuUnits(taskCpu).orElse(containerCpu);
        int memory = TaskSize.memoryMiB(taskMemory).orElse(containerMemory);
        return new Demand(cpu, memory, tcp, udp, requiredAttributes(definition));
    }

    /** The host port a mapping binds, or null for an ephemeral one. */
    private static Integer hostPort(PortMapping p, boolean hostNetwork) {
        if (p.hasStaticHostPort()) {
            return p.hostPort();
        }
        // In host mode the container binds its containerPort on the host itself.
        return hostNetwork ? p.containerPort() : null;
    }

    /**
     * The {@code requiresAttributes} stored with the task definition, if any. ECS derives them at
     * registration from what the task uses; Berth's registration derives none yet, so only a
     * task definition that carries them (as a copied ECS one does) asks for attributes.
     */
    private static List<RequiredAttribute> requiredAttributes(TaskDefinition definition) {
        Object stored = definition.unmodelled() == null ? null : definition.unmodelled().get("requiresAttributes");
        List<RequiredAttribute> required = new ArrayList<>();
        if (stored instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                    required.add(new RequiredAttribute(name, map.get("value") instanceof String v ? v : null));
                }
            }
        }
        return required;
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
