package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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

    /**
     * Everything placement checks: {@link #of}, plus UDP host ports and required attributes.
     * Without overrides it depends on the definition alone, and the tasks of a service or a
     * RunTask share one definition object (the codec reads each distinct definition once): the
     * demand of the recent definitions is kept, by identity, and not worked out again for every
     * task that a pass places, re-checks, counts in flight or applies.
     */
    public static Demand demand(TaskDefinition definition, TaskOverride overrides) {
        if (overrides != null) {
            return compute(definition, overrides);
        }
        for (int i = 0; i < RING; i++) {
            Known known = RECENT.get(i);
            if (known != null && known.definition() == definition) {
                return known.demand();
            }
        }
        Demand demand = compute(definition, null);
        RECENT.set(Math.floorMod(NEXT.getAndIncrement(), RING), new Known(definition, demand));
        return demand;
    }

    private static final int RING = 64;
    private static final AtomicReferenceArray<Known> RECENT = new AtomicReferenceArray<>(RING);
    private static final AtomicInteger NEXT = new AtomicInteger();

    private record Known(TaskDefinition definition, Demand demand) {
    }

    private static Demand compute(TaskDefinition definition, TaskOverride overrides) {
        TaskResources r = TaskResources.of(definition, overrides);
        return new Demand(r.cpu(), r.memory(), r.tcpPorts(), r.udpPorts(), requiredAttributes(definition));
    }

    /**
     * The {@code requiresAttributes} stored with the task definition, derived at registration
     * ({@link dev.berth.model.Capabilities}). A revision registered before Berth derived them
     * carries none and asks for no attribute.
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
}
