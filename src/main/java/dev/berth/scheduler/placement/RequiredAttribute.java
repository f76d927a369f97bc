package dev.berth.scheduler.placement;

/**
 * An ECS {@code requiresAttributes} entry of a task definition: the instance must have the
 * attribute, with this value when {@code value} is set.
 */
public record RequiredAttribute(String name, String value) {

    boolean isMetBy(Candidate candidate) {
        String actual = candidate.attribute(name);
        return actual != null && (value == null || value.equals(actual));
    }
}
