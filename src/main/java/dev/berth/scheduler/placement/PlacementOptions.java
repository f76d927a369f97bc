package dev.berth.scheduler.placement;

import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The placement parameters of a request, in ECS's shapes and as received ({@code
 * placementConstraints}, {@code placementStrategy}), so that they serialize with the request
 * (its client-token hash). {@link #constraints} and {@link #strategies} read them, with ECS's
 * limits and validation errors.
 */
public record PlacementOptions(List<PlacementConstraint> placementConstraints,
        List<PlacementStrategy> placementStrategy) {

    public static final PlacementOptions NONE = new PlacementOptions(null, null);

    /**
     * A task definition's constraints, as RegisterTaskDefinition checks them; throws
     * {@link PlacementInputException} naming the parameter when one is invalid or there are more
     * than ECS's 10.
     */
    public static List<Constraint> ofTaskDefinition(List<PlacementConstraint> constraints) {
        List<Constraint> read = new ArrayList<>();
        read(constraints, "placementConstraints", read);
        for (int i = 0; i < read.size(); i++) {
            if (!(read.get(i) instanceof Constraint.MemberOf)) {
                // ECS's TaskDefinitionPlacementConstraint takes memberOf only; distinctInstance is
                // for RunTask, CreateService and UpdateService.
                throw new PlacementInputException("Invalid 'placementConstraints[" + i + "].type': a task definition "
                        + "takes memberOf constraints only; give distinctInstance with RunTask or CreateService");
            }
        }
        if (read.size() > Constraint.MAX_CONSTRAINTS) {
            throw new PlacementInputException("Invalid 'placementConstraints': at most " + Constraint.MAX_CONSTRAINTS
                    + " constraints apply to a task; there are " + read.size() + ".");
        }
        return read;
    }

    /**
     * The task definition's constraints, then the request's; throws {@link PlacementInputException}
     * naming the parameter when one is invalid or there are more than ECS's 10 together.
     */
    public List<Constraint> constraints(List<PlacementConstraint> fromTaskDefinition) {
        List<Constraint> constraints = new ArrayList<>();
        read(fromTaskDefinition, "taskDefinition.placementConstraints", constraints);
        read(placementConstraints, "placementConstraints", constraints);
        if (constraints.size() > Constraint.MAX_CONSTRAINTS) {
            throw new PlacementInputException("Invalid 'placementConstraints': at most " + Constraint.MAX_CONSTRAINTS
                    + " constraints apply to a task, counting the task definition's; there are "
                    + constraints.size() + ".");
        }
        return constraints;
    }

    private static void read(List<PlacementConstraint> given, String parameter, List<Constraint> into) {
        if (given == null) {
            return;
        }
        for (int i = 0; i < given.size(); i++) {
            PlacementConstraint c = given.get(i);
            String at = parameter + "[" + i + "]";
            if (c == null) {
                throw new PlacementInputException("Invalid '" + at + "': it should not be null.");
            }
            into.add(Constraint.of(c.type(), c.expression(), at));
        }
    }

    /**
     * The request's strategies, or {@code defaults} when it names none; throws
     * {@link PlacementInputException} naming the parameter when one is invalid or there are
     * more than ECS's 5.
     */
    public List<Strategy> strategies(List<Strategy> defaults) {
        if (placementStrategy == null || placementStrategy.isEmpty()) {
            return defaults;
        }
        if (placementStrategy.size() > Strategy.MAX_STRATEGIES) {
            throw new PlacementInputException("Invalid 'placementStrategy': at most " + Strategy.MAX_STRATEGIES
                    + " strategies apply to a task; there are " + placementStrategy.size() + ".");
        }
        List<Strategy> strategies = new ArrayList<>();
        for (int i = 0; i < placementStrategy.size(); i++) {
            PlacementStrategy s = placementStrategy.get(i);
            String at = "placementStrategy[" + i + "]";
            if (s == null) {
                throw new PlacementInputException("Invalid '" + at + "': it should not be null.");
            }
            strategies.add(Strategy.of(s.type(), s.field(), at));
        }
        return strategies;
    }
}
