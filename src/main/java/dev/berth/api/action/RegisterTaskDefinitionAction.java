package dev.berth.api.action;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.api.Caller;
import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTaskDefinitions;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tags;
import jakarta.inject.Singleton;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RegisterTaskDefinition: validated, then revision = last + 1 in the family. ECS fields Berth
 * does not act on are kept and described back; tags are kept on the revision, and
 * {@code registeredBy} names the caller's principal (the IAM user of its SigV4 access key, or
 * the account's root), as account settings do.
 */
@Singleton
public class RegisterTaskDefinitionAction extends SchedulerAction<RegisterTaskDefinitionAction.Request> {

    public record Request(String family, List<ContainerDefinition> containerDefinitions, String cpu, String memory,
            String networkMode, List<String> requiresCompatibilities, List<PlacementConstraint> placementConstraints,
            String taskRoleArn, String executionRoleArn, List<Tag> tags,
            @JsonAnySetter Map<String, Object> unmodelled) {
    }

    public record Response(TaskDefinition taskDefinition, List<Tag> tags) {
    }

    public RegisterTaskDefinitionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    /** Berth sets the ARN, revision, status and dates: a caller's copies of them are not kept. */
    private static final Set<String> SET_BY_BERTH = Arrays.stream(TaskDefinition.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

    private static Map<String, Object> unmodelled(Request r) {
        if (r.unmodelled() == null || r.unmodelled().isEmpty()) {
            return null;
        }
        Map<String, Object> kept = new LinkedHashMap<>(r.unmodelled());
        kept.keySet().removeAll(SET_BY_BERTH);
        return kept;
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    /** ECS names the principal that registered a revision; Berth sets it, a caller's copy is not kept. */
    static final String REGISTERED_BY = "registeredBy";

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        Map<String, Object> kept = unmodelled(r) == null ? new LinkedHashMap<>() : unmodelled(r);
        kept.put(REGISTERED_BY, plane.accountSettings().principalOf(Caller.accessKeyId()));
        TaskDefinition requested = new TaskDefinition(null, r.family(), null, r.containerDefinitions(), r.cpu(),
                r.memory(), r.networkMode(), null, r.requiresCompatibilities(), null, r.placementConstraints(),
                r.taskRoleArn(), r.executionRoleArn(), null, null, kept);
        List<Tag> tags = Tags.validate(r.tags());
        return new Response(EcsTaskDefinitions.answered(plane.taskDefinitions().register(requested, tags)), tags);
    }
}
