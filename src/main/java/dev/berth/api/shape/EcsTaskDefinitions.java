package dev.berth.api.shape;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task definition as ECS answers it: with the empty lists ECS returns for what was not given
 * ({@code volumes}, {@code placementConstraints}, {@code requiresAttributes}, and per container
 * {@code portMappings}, {@code environment}, {@code mountPoints}, {@code volumesFrom}), because
 * clients index them,
 * and {@code compatibilities} ["EXTERNAL", "EC2"]: a definition Berth accepts runs on the
 * caller's own hosts either way. Filled when answering, so definitions registered before are
 * answered the same. {@code requiresAttributes} are those derived at registration
 * ({@link dev.berth.model.Capabilities}), {@code []} for a revision registered before. Pure.
 */
public final class EcsTaskDefinitions {

    /** What every definition Berth registers is compatible with (FARGATE is refused at registration). */
    public static final List<String> COMPATIBILITIES = List.of("EXTERNAL", "EC2");

    private EcsTaskDefinitions() {
    }

    public static TaskDefinition answered(TaskDefinition d) {
        return new TaskDefinition(d.taskDefinitionArn(), d.family(), d.revision(),
                d.containers().stream().map(EcsTaskDefinitions::answered).toList(), d.cpu(), d.memory(),
                d.networkMode(), d.status(), d.requiresCompatibilities(), COMPATIBILITIES,
                d.placementConstraints() == null ? List.of() : d.placementConstraints(), d.taskRoleArn(),
                d.executionRoleArn(), d.registeredAt(), d.deregisteredAt(),
                withEmpty(d.unmodelled(), "volumes", "requiresAttributes"));
    }

    private static ContainerDefinition answered(ContainerDefinition c) {
        return new ContainerDefinition(c.name(), c.image(), c.cpuOrZero(), c.memory(), c.memoryReservation(),
                c.essential(), c.command(), c.entryPoint(), c.environment() == null ? List.of() : c.environment(),
                c.portMappings() == null ? List.of() : c.portMappings(), c.workingDirectory(), c.user(),
                c.hostname(), c.dockerLabels(), c.stopTimeout(),
                withEmpty(c.unmodelled(), "mountPoints", "volumesFrom"));
    }

    private static Map<String, Object> withEmpty(Map<String, Object> unmodelled, String... lists) {
        Map<String, Object> filled = unmodelled == null ? new LinkedHashMap<>() : new LinkedHashMap<>(unmodelled);
        for (String list : lists) {
            filled.putIfAbsent(list, List.of());
        }
        return filled;
    }
}
