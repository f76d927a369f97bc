package dev.berth.scheduler.placement;

import dev.berth.scheduler.placement.query.ClusterQuery;
import dev.berth.scheduler.placement.query.Expression;

/** An ECS placement constraint: binding, unlike a {@link Strategy}. */
public sealed interface Constraint {

    /** ECS's limit on constraints per task, task definition and request together. */
    int MAX_CONSTRAINTS = 10;
    /** ECS's limit on the length of a memberOf expression. */
    int MAX_EXPRESSION_LENGTH = 2000;

    /** No two tasks of the group on one instance (tasks desired STOPPED do not count). */
    record DistinctInstance() implements Constraint {
    }

    /** Only the instances that the cluster query expression selects. */
    record MemberOf(String expression, Expression query) implements Constraint {
    }

    /**
     * The constraint of an ECS {@code PlacementConstraint}; throws {@link PlacementInputException}
     * naming {@code parameter} (or, for a bad expression, the position in it) when ECS would refuse it.
     */
    static Constraint of(String type, String expression, String parameter) {
        if ("distinctInstance".equals(type)) {
            // ECS refuses any expression given, the empty one too.
            if (expression != null) {
                throw new PlacementInputException("Invalid '" + parameter + ".expression': distinctInstance "
                        + "expression should not be specified.");
            }
            return new DistinctInstance();
        }
        boolean hasExpression = expression != null && !expression.isEmpty();
        if (!"memberOf".equals(type)) {
            throw new PlacementInputException("Invalid '" + parameter + ".type': " + type
                    + " is not a placement constraint; use distinctInstance or memberOf.");
        }
        if (!hasExpression) {
            throw new PlacementInputException("Invalid '" + parameter + ".expression': a memberOf constraint needs "
                    + "an expression.");
        }
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new PlacementInputException("Invalid '" + parameter + ".expression': it is longer than "
                    + MAX_EXPRESSION_LENGTH + " characters.");
        }
        return new MemberOf(expression, ClusterQuery.parse(expression));
    }
}
