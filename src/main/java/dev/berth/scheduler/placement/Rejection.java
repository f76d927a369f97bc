package dev.berth.scheduler.placement;

import java.util.List;

/** Why one instance did not take a task: every check it failed, in {@link FeasibilityCheck} order. */
public record Rejection(String instanceId, List<FeasibilityCheck> checks) {

    public Rejection {
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("a rejection names at least one check");
        }
        checks = List.copyOf(checks);
    }

    public Rejection(String instanceId, FeasibilityCheck check) {
        this(instanceId, List.of(check));
    }

    /** The first check failed: the one ECS's {@code failures[]} reports. */
    public FeasibilityCheck check() {
        return checks.get(0);
    }

    /** The ECS reason of the first check failed, e.g. {@code RESOURCE:MEMORY}. */
    public String reason() {
        return check().reason();
    }

    /** The ECS reasons of every check failed. */
    public List<String> reasons() {
        return checks.stream().map(FeasibilityCheck::reason).toList();
    }

    /** Whether ECS would report it in {@code failures[]} (a foreign cluster is not a failure). */
    public boolean isReported() {
        return check() != FeasibilityCheck.CLUSTER;
    }
}
