package dev.berth.model;

/**
 * The status of a task, as the ECS API shows it. The order is the lifecycle order; a task
 * only ever moves forward:
 *
 * <pre>
 * PROVISIONING → PENDING → RUNNING → STOPPING → STOPPED
 *        │           │                            ▲
 *        └───────────┴────────────────────────────┘  (a task can stop before it runs)
 * </pre>
 *
 * Desired status is only {@link #RUNNING} or {@link #STOPPED}.
 */
public enum TaskStatus {
    PROVISIONING,
    PENDING,
    RUNNING,
    STOPPING,
    STOPPED;

    /** Whether a task in this status may be reported as {@code next}: statuses never go back. */
    public boolean canMoveTo(TaskStatus next) {
        return next.ordinal() >= ordinal();
    }

    public boolean isTerminal() {
        return this == STOPPED;
    }

    /** The later of two statuses: used to fold reports that arrive out of order. */
    public static TaskStatus latest(TaskStatus a, TaskStatus b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
