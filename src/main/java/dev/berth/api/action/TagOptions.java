package dev.berth.api.action;

import dev.berth.model.Tag;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tag parameters of RunTask, StartTask and CreateService. {@code tags} are kept on the
 * resource. A task's {@code propagateTags} TASK_DEFINITION copies the task definition's tags
 * onto it (the request's win on a shared key), as in ECS. ECS managed tags ({@code aws:ecs:*})
 * are AWS's and are refused by name, as is a service's propagation to its tasks, which Berth's
 * service scheduler does not do.
 */
public record TagOptions(List<Tag> tags, String propagateTags, Boolean enableECSManagedTags) {

    private static final String NONE = "NONE";
    private static final String TASK_DEFINITION = "TASK_DEFINITION";

    /** A task's tags: checked, with the task definition's when they are to be propagated; null when none. */
    List<Tag> forTask(ControlPlane plane, String taskDefinition) {
        refuseManagedTags();
        List<Tag> own = Tags.validate(tags);
        if (propagateTags == null || NONE.equals(propagateTags)) {
            return own.isEmpty() ? null : own;
        }
        if (!TASK_DEFINITION.equals(propagateTags)) {
            throw EcsException.invalidParameter("Invalid 'propagateTags': " + propagateTags + " is not one of "
                    + TASK_DEFINITION + " or " + NONE + ".");
        }
        String arn = plane.taskDefinitions().describe(taskDefinition).taskDefinitionArn();
        Map<String, Tag> byKey = new LinkedHashMap<>();
        plane.tags().list(arn).forEach(t -> byKey.put(t.key(), t));
        own.forEach(t -> byKey.put(t.key(), t));
        List<Tag> merged = Tags.validate(List.copyOf(byKey.values()));
        return merged.isEmpty() ? null : merged;
    }

    /** A service's own tags; propagating them to its tasks is refused by name. */
    List<Tag> forService() {
        refuseManagedTags();
        if (propagateTags != null && !NONE.equals(propagateTags)) {
            throw EcsException.invalidParameter("Invalid 'propagateTags': Berth does not propagate tags to a "
                    + "service's tasks yet; tag them with TagResource instead, or leave propagateTags NONE.");
        }
        return Tags.validate(tags);
    }

    private void refuseManagedTags() {
        if (Boolean.TRUE.equals(enableECSManagedTags)) {
            throw EcsException.invalidParameter("Invalid 'enableECSManagedTags': Berth does not add ECS managed "
                    + "tags (aws:ecs:clusterName, aws:ecs:serviceName); give your own tags instead.");
        }
    }
}
