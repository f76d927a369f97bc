package dev.berth.scheduler;

/** An ECS {@code failures[]} entry: the entity that could not be served and why. */
public record Failure(String arn, String reason, String detail) {

    public static final String MISSING = "MISSING";
    /** StartTask on a container instance that was deregistered: ECS's "cannot be used". */
    public static final String INACTIVE = "INACTIVE";

    public static Failure of(String arn, String reason) {
        return new Failure(arn, reason, null);
    }
}
