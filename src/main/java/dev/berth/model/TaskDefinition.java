package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered task definition ({@code family:revision}), in the ECS shape. Task-level cpu
 * and memory are strings, as in the ECS API ("256", "512"). The other ECS fields registered
 * ({@code volumes}, {@code pidMode}, ...) are kept as received in {@code unmodelled} and
 * written back in place, as {@link ContainerDefinition} does.
 */
public record TaskDefinition(
        String taskDefinitionArn,
        String family,
        Integer revision,
        List<ContainerDefinition> containerDefinitions,
        String cpu,
        String memory,
        String networkMode,
        String status,
        List<String> requiresCompatibilities,
        List<String> compatibilities,
        List<PlacementConstraint> placementConstraints,
        String taskRoleArn,
        String executionRoleArn,
        Instant registeredAt,
        Instant deregisteredAt,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> unmodelled) {

    /** A task definition with only the fields Berth acts on. */
    public TaskDefinition(String taskDefinitionArn, String family, Integer revision,
            List<ContainerDefinition> containerDefinitions, String cpu, String memory, String networkMode,
            String status, List<String> requiresCompatibilities, List<String> compatibilities,
            List<PlacementConstraint> placementConstraints, String taskRoleArn, String executionRoleArn,
            Instant registeredAt, Instant deregisteredAt) {
        this(taskDefinitionArn, family, revision, containerDefinitions, cpu, memory, networkMode, status,
                requiresCompatibilities, compatibilities, placementConstraints, taskRoleArn, executionRoleArn,
                registeredAt, deregisteredAt, null);
    }

    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    public String familyRevision() {
        return family + ":" + revision;
    }

    public List<ContainerDefinition> containers() {
        return containerDefinitions == null ? List.of() : containerDefinitions;
    }

    public TaskDefinition withStatus(String newStatus, Instant at) {
        return new TaskDefinition(taskDefinitionArn, family, revision, containerDefinitions, cpu, memory,
                networkMode, newStatus, requiresCompatibilities, compatibilities, placementConstraints,
                taskRoleArn, executionRoleArn, registeredAt, INACTIVE.equals(newStatus) ? at : deregisteredAt,
                unmodelled);
    }
}
