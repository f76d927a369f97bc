package dev.berth.scheduler.services;

import dev.berth.model.Tag;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.EcsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tags a service gives the tasks it starts, as ECS does: with {@code propagateTags}
 * SERVICE the service's tags, with TASK_DEFINITION the task definition's, and with
 * {@code enableECSManagedTags} {@code aws:ecs:serviceName} and {@code aws:ecs:clusterName}.
 * ECS's managed tags are AWS's own and may carry the reserved {@code aws:} prefix. Pure.
 */
public final class ServiceTaskTags {

    public static final String SERVICE = "SERVICE";
    public static final String TASK_DEFINITION = "TASK_DEFINITION";
    public static final String NONE = "NONE";
    public static final String SERVICE_NAME = "aws:ecs:serviceName";
    public static final String CLUSTER_NAME = "aws:ecs:clusterName";

    private ServiceTaskTags() {
    }

    /** CreateService's {@code propagateTags}, checked: SERVICE or TASK_DEFINITION, null for NONE or none. */
    public static String propagateTags(String requested) {
        if (requested == null || NONE.equals(requested)) {
            return null;
        }
        if (SERVICE.equals(requested) || TASK_DEFINITION.equals(requested)) {
            return requested;
        }
        throw EcsException.invalidParameter("Invalid 'propagateTags': " + requested + " is not one of "
                + TASK_DEFINITION + ", " + SERVICE + " or " + NONE + ".");
    }

    /** A new task's tags: the propagated ones, then the managed ones; null when none. */
    public static List<Tag> forTask(ServiceRecord service, List<Tag> definitionTags) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        List<Tag> propagated = SERVICE.equals(service.propagateTags()) ? service.tags()
                : TASK_DEFINITION.equals(service.propagateTags()) ? definitionTags : List.of();
        propagated.forEach(t -> byKey.put(t.key(), t));
        if (service.managedTags()) {
            byKey.put(SERVICE_NAME, new Tag(SERVICE_NAME, service.serviceName()));
            byKey.put(CLUSTER_NAME, new Tag(CLUSTER_NAME, service.cluster()));
        }
        return byKey.isEmpty() ? null : List.copyOf(byKey.values());
    }
}
