package dev.berth.scheduler.placement;

/** Why one instance did not take a task: an ECS reason such as {@code RESOURCE:MEMORY}. */
public record Rejection(String instanceId, FeasibilityCheck check) {

    public String reason() {
        return check.reason();
    }

    /** Whether ECS would report it in {@code failures[]} (a foreign cluster is not a failure). */
    public boolean isReported() {
        return check != FeasibilityCheck.CLUSTER;
    }
}
