package dev.berth.scheduler.placement.query;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a cluster query expression tests, with the operators ECS accepts for it
 * (an {@code attribute:<name>} takes them all).
 */
public record Subject(Kind kind, String attributeName) {

    private static final String ATTRIBUTE_PREFIX = "attribute:";

    /** The subjects of the language, with their operators as the ECS documentation lists them. */
    public enum Kind {
        AGENT_CONNECTED("agentConnected", Operators.EQUALITY_AND_PATTERN),
        AGENT_VERSION("agentVersion", Operators.ORDERING),
        ATTRIBUTE("attribute:<name>", EnumSet.allOf(Operator.class)),
        EC2_INSTANCE_ID("ec2InstanceId", Operators.EQUALITY_AND_PATTERN),
        REGISTERED_AT("registeredAt", Operators.ORDERING),
        RUNNING_TASKS_COUNT("runningTasksCount", Operators.ORDERING),
        TASK_GROUP("task:group", Operators.GROUP);

        private final String spelling;
        private final Set<Operator> operators;

        Kind(String spelling, Set<Operator> operators) {
            this.spelling = spelling;
            this.operators = operators;
        }

        public String spelling() {
            return spelling;
        }
    }

    /** The subject a word names, or null when it names none. */
    static Subject of(String word) {
        if (word.startsWith(ATTRIBUTE_PREFIX)) {
            String name = word.substring(ATTRIBUTE_PREFIX.length());
            return name.isEmpty() ? null : new Subject(Kind.ATTRIBUTE, name);
        }
        for (Kind kind : Kind.values()) {
            if (kind != Kind.ATTRIBUTE && kind.spelling.equals(word)) {
                return new Subject(kind, null);
            }
        }
        return null;
    }

    boolean accepts(Operator operator) {
        return kind.operators.contains(operator);
    }

    /** The instance's single value for this subject (String, Long or Instant), or null if it has none. */
    Object valueOf(QueryTarget target) {
        return switch (kind) {
            case AGENT_CONNECTED -> String.valueOf(target.agentConnected());
            case AGENT_VERSION -> target.agentVersion();
            case ATTRIBUTE -> target.attribute(attributeName);
            case EC2_INSTANCE_ID -> target.ec2InstanceId();
            case REGISTERED_AT -> target.registeredAt();
            case RUNNING_TASKS_COUNT -> (long) target.runningTasksCount();
            case TASK_GROUP -> throw new IllegalStateException("task:group has many values");
        };
    }

    @Override
    public String toString() {
        return kind == Kind.ATTRIBUTE ? ATTRIBUTE_PREFIX + attributeName : kind.spelling;
    }

    private static final class Operators {
        static final Set<Operator> EQUALITY_AND_PATTERN = EnumSet.of(Operator.EQUALS, Operator.NOT_EQUALS,
                Operator.IN, Operator.NOT_IN, Operator.MATCHES, Operator.NOT_MATCHES);
        static final Set<Operator> ORDERING = EnumSet.of(Operator.EQUALS, Operator.NOT_EQUALS,
                Operator.GREATER_THAN, Operator.GREATER_THAN_EQUAL, Operator.LESS_THAN, Operator.LESS_THAN_EQUAL);
        static final Set<Operator> GROUP = EnumSet.of(Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN,
                Operator.NOT_IN, Operator.MATCHES, Operator.NOT_MATCHES, Operator.EXISTS, Operator.NOT_EXISTS);

        private Operators() {
        }
    }
}
