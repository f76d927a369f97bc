package dev.berth.scheduler.placement.query;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed cluster query expression: a tree of {@code and}, {@code or}, {@code not} and
 * comparisons, evaluated against one container instance. Immutable and thread-safe.
 */
public sealed interface Expression {

    boolean test(QueryTarget target);

    /**
     * Whether the answer can change when a task is placed on the instance (it reads
     * {@code runningTasksCount} or {@code task:group}): the planner re-evaluates only then.
     */
    boolean readsTasks();

    record And(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(QueryTarget target) {
            return left.test(target) && right.test(target);
        }

        @Override
        public boolean readsTasks() {
            return left.readsTasks() || right.readsTasks();
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(QueryTarget target) {
            return left.test(target) || right.test(target);
        }

        @Override
        public boolean readsTasks() {
            return left.readsTasks() || right.readsTasks();
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public boolean test(QueryTarget target) {
            return !operand.test(target);
        }

        @Override
        public boolean readsTasks() {
            return operand.readsTasks();
        }
    }

    /**
     * {@code subject operator [argument]}. {@code values} are the arguments as read: Long for
     * runningTasksCount, Instant for registeredAt, String otherwise; {@code pattern} is set for
     * {@code =~} and {@code !~}, which match the whole value (Java regular expressions, as ECS
     * documents).
     *
     * <p>A negative operator other than {@code !exists} needs the subject to be there: ECS's
     * {@code attribute:stack != prod} selects "the instances with the custom attribute stack
     * unless the attribute value is prod", so an instance without {@code stack} is not selected,
     * nor by {@code !in} or {@code !~}. For {@code task:group}, which has one value per task
     * group on the instance, "there" means a task of some group: {@code task:group != database}
     * selects the instances with tasks, none of them in database. An instance without the subject
     * satisfies only {@code !exists}; {@code not(...)} takes it in, as ECS's anti-affinity example
     * {@code not(task:group == database)} takes in the empty instances.
     */
    record Comparison(Subject subject, Operator operator, List<Object> values, Pattern pattern, Matches memo)
            implements Expression {

        public Comparison {
            values = List.copyOf(values);
        }

        public Comparison(Subject subject, Operator operator, List<Object> values, Pattern pattern) {
            this(subject, operator, values, pattern, pattern == null ? null : new Matches(pattern));
        }

        private boolean matches(String value) {
            return memo.test(value);
        }

        @Override
        public boolean test(QueryTarget target) {
            boolean groups = subject.kind() == Subject.Kind.TASK_GROUP;
            Object value = groups ? null : subject.valueOf(target);
            boolean present = groups ? target.groupNames().iterator().hasNext() : value != null;
            if (!present) {
                return operator == Operator.NOT_EXISTS;
            }
            boolean affirmed = groups ? testGroups(target) : testValue(value);
            return operator.isNegative() != affirmed;
        }

        @Override
        public boolean readsTasks() {
            return subject.kind() == Subject.Kind.TASK_GROUP || subject.kind() == Subject.Kind.RUNNING_TASKS_COUNT;
        }

        private boolean testGroups(QueryTarget target) {
            Operator positive = operator.positive();
            if (positive == Operator.EQUALS || positive == Operator.IN) {
                for (Object group : values) {
                    if (target.hasTaskGroup((String) group)) {
                        return true;
                    }
                }
                return false;
            }
            for (String group : target.groupNames()) {
                if (positive == Operator.EXISTS || matches(group)) {
                    return true;
                }
            }
            return false;
        }

        private boolean testValue(Object value) {
            return switch (operator.positive()) {
                case EXISTS -> true;
                case MATCHES -> matches((String) value);
                case EQUALS, IN -> anyEquals(value);
                case GREATER_THAN -> compare(value, values.get(0)) > 0;
                case GREATER_THAN_EQUAL -> compare(value, values.get(0)) >= 0;
                case LESS_THAN -> compare(value, values.get(0)) < 0;
                case LESS_THAN_EQUAL -> compare(value, values.get(0)) <= 0;
                default -> throw new IllegalStateException("not a positive operator: " + operator);
            };
        }

        private boolean anyEquals(Object value) {
            for (Object argument : values) {
                if (compare(value, argument) == 0) {
                    return true;
                }
            }
            return false;
        }

        private int compare(Object value, Object argument) {
            return switch (subject.kind()) {
                case RUNNING_TASKS_COUNT -> Long.compare((Long) value, (Long) argument);
                case REGISTERED_AT -> ((Instant) value).compareTo((Instant) argument);
                case AGENT_VERSION -> QueryValues.compareVersions((String) value, (String) argument);
                case ATTRIBUTE -> operator.positive() == Operator.EQUALS || operator.positive() == Operator.IN
                        ? (value.equals(argument) ? 0 : 1)
                        : QueryValues.compareAttributes((String) value, (String) argument);
                default -> value.equals(argument) ? 0 : 1;
            };
        }
    }

    /**
     * A pattern's answers, remembered per value: a cluster has few distinct attribute values
     * (instance types, zones) and a placement tests thousands of instances. Bounded; past the
     * bound, values are matched without being remembered. Thread-safe.
     *
     * <p>A match reads at most {@link #MAX_STEPS} characters: a pattern that backtracks without
     * end on some value ({@code (a+)+b} against a long run of {@code a}) would otherwise hold the
     * placement, and the scheduler's writes behind it, for hours. Past the budget the value does
     * not match, and a WARN line says so once per pattern; the budget counts characters read,
     * not time, so the answer is the same on every replica and every run.
     */
    final class Matches {
        private static final org.jboss.logging.Logger LOGGER = org.jboss.logging.Logger.getLogger(Matches.class);
        private static final int MAX_REMEMBERED = 4_096;
        /** Far above what any sane pattern reads on an attribute value (at most 128 characters here). */
        static final long MAX_STEPS = 1_000_000;

        private final Pattern pattern;
        private final java.util.concurrent.ConcurrentHashMap<String, Boolean> answers =
                new java.util.concurrent.ConcurrentHashMap<>();

        private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

        Matches(Pattern pattern) {
            this.pattern = pattern;
        }

        boolean test(String value) {
            Boolean known = answers.get(value);
            if (known != null) {
                return known;
            }
            boolean answer;
            try {
                answer = pattern.matcher(new Budgeted(value)).matches();
            } catch (Budgeted.Exhausted e) {
                answer = false;
                if (warned.compareAndSet(false, true)) {
                    LOGGER.warnf("The pattern %s read more than %d characters matching the value %s (it backtracks"
                            + " without end on such values): taken as no match. Write it so that it cannot, e.g."
                            + " without a repeated group that itself repeats", pattern.pattern(), MAX_STEPS, value);
                }
            }
            if (answers.size() < MAX_REMEMBERED) {
                answers.put(value, answer);
            }
            return answer;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Matches m && m.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }

        @Override
        public String toString() {
            return pattern.pattern();
        }
    }

    /** A value that lets a matcher read {@link Matches#MAX_STEPS} characters of it, then stops it. */
    final class Budgeted implements CharSequence {
        private final String value;
        private long left = Matches.MAX_STEPS;

        Budgeted(String value) {
            this.value = value;
        }

        @Override
        public char charAt(int index) {
            if (--left < 0) {
                throw new Exhausted();
            }
            return value.charAt(index);
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return value.substring(start, end);
        }

        @Override
        public String toString() {
            return value;
        }

        /** Thrown through the matcher when the budget is spent; no stack trace, it is not a fault. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }
    }
}
