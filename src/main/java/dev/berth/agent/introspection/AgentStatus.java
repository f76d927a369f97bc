package dev.berth.agent.introspection;

import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;

/**
 * The status words of ECS's agent's endpoints, from what Berth knows. Berth's task statuses
 * are the ECS API's ({@code PROVISIONING → PENDING → RUNNING → STOPPING → STOPPED}); the
 * agent's endpoints use its own:
 *
 * <pre>
 * Berth task     v1 (backend status)    v4 (the agent's own)
 * PROVISIONING   PENDING                NONE
 * PENDING        PENDING                NONE, CREATED once every container is created
 * RUNNING        RUNNING                RUNNING
 * STOPPING       RUNNING once it ran,   RUNNING once it ran, else as PENDING
 *                else PENDING
 * STOPPED        STOPPED                STOPPED
 *
 * Berth container   v4
 * PENDING           NONE, CREATED once created
 * RUNNING           RUNNING
 * STOPPED           STOPPED
 * </pre>
 *
 * ECS's agent has no STOPPING: its task stays in its last status until every container has
 * stopped. A task ran when it was reported RUNNING ({@code startedAt} is set).
 */
final class AgentStatus {

    private static final String NONE = "NONE";
    private static final String CREATED = "CREATED";
    private static final String PENDING = "PENDING";

    private AgentStatus() {
    }

    /** The task's known status in v1: PENDING, RUNNING or STOPPED. */
    static String backend(TaskSnapshot task) {
        return switch (task.knownStatus()) {
            case RUNNING, STOPPED -> task.knownStatus().name();
            case STOPPING -> ran(task) ? TaskStatus.RUNNING.name() : PENDING;
            default -> PENDING;
        };
    }

    /** The task's known status in v4: NONE, CREATED, RUNNING or STOPPED. */
    static String task(TaskSnapshot task) {
        return switch (task.knownStatus()) {
            case RUNNING, STOPPED -> task.knownStatus().name();
            case STOPPING -> ran(task) ? TaskStatus.RUNNING.name() : beforeRunning(task);
            default -> beforeRunning(task);
        };
    }

    /** A container's known status in v4: NONE, CREATED, RUNNING or STOPPED. */
    static String container(ContainerState container) {
        if (container.lastStatus() == ContainerStatus.PENDING) {
            return container.runtimeId() == null ? NONE : CREATED;
        }
        return container.lastStatus().name();
    }

    private static boolean ran(TaskSnapshot task) {
        return task.reported() != null && task.reported().startedAt() != null;
    }

    private static String beforeRunning(TaskSnapshot task) {
        boolean allCreated = !task.containers().isEmpty()
                && task.containers().stream().allMatch(c -> c.runtimeId() != null);
        return allCreated ? CREATED : NONE;
    }
}
