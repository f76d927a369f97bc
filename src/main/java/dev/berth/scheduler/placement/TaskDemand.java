package dev.berth.scheduler.placement;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.PortMapping;
import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a task takes from its container instance, by ECS's rules: the task-level cpu and
 * memory when set (overrides first), else the sum over its containers of cpu and of
 * memoryReservation-or-memory; plus every static TCP host port, and in {@code host} network
 * mode every TCP containerPort mapped without a hostPort (the container binds it on the host).
 */
public final class TaskDemand {

    private TaskDemand() {
    }

    public static Resources of(TaskDefinition definition, TaskOverride overrides) {
        Map<String, ContainerOverride> byName = new HashMap<>();
        if (overrides != null) {
            for (ContainerOverride o : overrides.containerOverridesOrEmpty()) {
                byName.put(o.name(), o);
            }
        }
        int containerCpu = 0;
        int containerMemory = 0;
        Set<Integer> ports = new TreeSet<>();
        boolean hostNetwork = "host".equals(definition.networkMode());
        for (ContainerDefinition c : definition.containers()) {
            ContainerOverride o = byName.get(c.name());
            containerCpu += o != null && o.cpu() != null ? o.cpu() : c.cpuOrZero();
            containerMemory += reservedMemory(c, o);
            for (PortMapping p : c.portMappingsOrEmpty()) {
                if (!"tcp".equalsIgnoreCase(p.protocolOrDefault())) {
                    continue;
                }
                if (p.hasStaticHostPort()) {
                    ports.add(p.hostPort());
                } else if (hostNetwork && p.containerPort() != null) {
                    // In host mode the container binds its containerPort on the host itself.
                    ports.add(p.containerPort());
                }
            }
        }
        String taskCpu = overrides != null && overrides.cpu() != null ? overrides.cpu() : definition.cpu();
        String taskMemory = overrides != null && overrides.memory() != null ? overrides.memory() : definition.memory();
        int cpu = TaskSize.cpuUnits(taskCpu).orElse(containerCpu);
        int memory = TaskSize.memoryMiB(taskMemory).orElse(containerMemory);
        return new Resources(cpu, memory, ports);
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
