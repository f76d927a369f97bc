package dev.berth.api.action;

import dev.berth.model.Tag;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Tags;
import dev.berth.scheduler.services.ServiceTaskTags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tag parameters of RunTask, StartTask and CreateService. {@code tags} are kept on the
 * resource. A task's {@code propagateTags} TASK_DEFINITION copies the task definition's tags
 * onto it (the request's win on a shared key), and {@code enableECSManagedTags} adds
 * {@code aws:ecs:clusterName}, as in ECS; SERVICE is refused for a task that is not a
 * service's, as ECS refuses it. A service keeps its {@code propagateTags} (SERVICE or
 * TASK_DEFINITION) and {@code enableECSManagedTags}, and its scheduler applies them to the
 * tasks it starts ({@link ServiceTaskTags}).
 */
public record TagOptions(List<Tag> tags, String propagateTags, Boolean enableECSManagedTags) {

    /** A task's tags: checked, with the task definition's and the managed ones when asked; null when none. */
    List<Tag> forTask(ControlPlane plane, String cluster, String taskDefinition) {
        List<Tag> own = Tags.validate(tags);
        String propagate = propagateTags == null ? ServiceTaskTags.NONE : propagateTags;
        if (ServiceTaskTags.SERVICE.equals(propagate)) {
            throw EcsException.invalidParameter("Invalid 'propagateTags': SERVICE applies only to a service's tasks; "
                    + "use TASK_DEFINITION or NONE for a task you run.");
        }
        if (!ServiceTaskTags.TASK_DEFINITION.equals(propagate) && !ServiceTaskTags.NONE.equals(propagate)) {
            throw EcsException.invalidParameter("Invalid 'propagateTags': " + propagateTags + " is not one of "
                    + ServiceTaskTags.TASK_DEFINITION + ", " + ServiceTaskTags.SERVICE + " or " + ServiceTaskTags.NONE
                    + ".");
        }
        Map<String, Tag> byKey = new LinkedHashMap<>();
        if (ServiceTaskTags.TASK_DEFINITION.equals(propagate)) {
            String arn = plane.taskDefinitions().describe(taskDefinition).taskDefinitionArn();
            plane.tags().list(arn).forEach(t -> byKey.put(t.key(), t));
        }
        own.forEach(t -> byKey.put(t.key(), t));
        List<Tag> merged = Tags.validate(List.copyOf(byKey.values()));
        if (Boolean.TRUE.equals(enableECSManagedTags)) {
            // ECS's own tag, with the reserved prefix: added after the check that refuses the prefix to callers.
            byKey.put(ServiceTaskTags.CLUSTER_NAME, new Tag(ServiceTaskTags.CLUSTER_NAME, Clusters.nameOf(cluster)));
            merged = List.copyOf(byKey.values());
        }
        return merged.isEmpty() ? null : merged;
    }

    /** A service's own tags. */
    List<Tag> forService() {
        return Tags.validate(tags);
    }
}
