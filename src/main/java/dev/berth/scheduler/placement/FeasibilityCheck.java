package dev.berth.scheduler.placement;

/**
 * Why an instance cannot take a task, in the order placement reports them; each carries the
 * ECS {@code failures[].reason}. An instance refused for several reasons lists them all
 * ({@link Rejection#checks()}); {@code failures[]} shows the first.
 */
public enum FeasibilityCheck {
    /** The task's cluster and the instance's cluster differ: never reported as an ECS failure. */
    CLUSTER("CLUSTER", null),
    AGENT("AGENT", null),
    CPU("RESOURCE:CPU", "has insufficient CPU units available"),
    MEMORY("RESOURCE:MEMORY", "has insufficient memory available"),
    /** A static host port the task binds, TCP or UDP, is taken. */
    PORTS("RESOURCE:PORTS", "is already using a port required by your task"),
    /** The instance lacks an attribute of the task definition's {@code requiresAttributes}. */
    ATTRIBUTE("ATTRIBUTE", "is missing an attribute required by your task"),
    DISTINCT_INSTANCE("DistinctInstance placement constraint unsatisfied.", null),
    MEMBER_OF("MemberOf placement constraint unsatisfied.", null);

    private final String reason;
    private final String wording;

    FeasibilityCheck(String reason, String wording) {
        this.reason = reason;
        this.wording = wording;
    }

    /**
     * How a service event says it of the closest matching instance, in ECS's words: "The
     * closest matching container-instance X has insufficient memory available." or, for a
     * reason without its own phrase, "... encountered error \"AGENT\"."
     */
    public String eventWording() {
        return wording != null ? wording : "encountered error \"" + reason + "\"";
    }

    /** The ECS failure reason, e.g. {@code RESOURCE:MEMORY}. */
    public String reason() {
        return reason;
    }
}
