package dev.berth.scheduler.placement;

/**
 * Why an instance cannot take a task, in the order placement reports them; each carries the
 * ECS {@code failures[].reason}. An instance refused for several reasons lists them all
 * ({@link Rejection#checks()}); {@code failures[]} shows the first.
 */
public enum FeasibilityCheck {
    /** The task's cluster and the instance's cluster differ: never reported as an ECS failure. */
    CLUSTER("CLUSTER"),
    AGENT("AGENT"),
    CPU("RESOURCE:CPU"),
    MEMORY("RESOURCE:MEMORY"),
    /** A static host port the task binds, TCP or UDP, is taken. */
    PORTS("RESOURCE:PORTS"),
    /** The instance lacks an attribute of the task definition's {@code requiresAttributes}. */
    ATTRIBUTE("ATTRIBUTE"),
    DISTINCT_INSTANCE("DistinctInstance placement constraint unsatisfied."),
    MEMBER_OF("MemberOf placement constraint unsatisfied.");

    private final String reason;

    FeasibilityCheck(String reason) {
        this.reason = reason;
    }

    /** The ECS failure reason, e.g. {@code RESOURCE:MEMORY}. */
    public String reason() {
        return reason;
    }
}
