package dev.berth.agent.runtime;

import java.time.Instant;
import java.util.Locale;

/**
 * Something happened to a container of this instance, as the engine announces it. An event
 * says "look again": the task's worker then inspects the container, so a lost, repeated or
 * out-of-order event costs latency, never correctness. The one fact taken from it is a die's
 * exit code, for a container already gone when the worker looks. {@link Kind#RESYNC} is
 * not the engine's: the event stream broke and is back, so every task is looked at again.
 *
 * @param containerId the engine's id of the container; null for RESYNC
 * @param taskId      the task id label of the container; null for RESYNC
 * @param time        when the engine saw it; without the engine's own time, when it arrived
 * @param exitCode    the exit code a DIE announced; null for other kinds, or when the engine gave none.
 *                    Kept for a container that is gone before its worker looks ({@code docker rm -f}):
 *                    the event is then the only record of how it exited
 */
public record ContainerEvent(Kind kind, String containerId, String taskId, Instant time, Integer exitCode) {

    /** An event that carries no exit code. */
    public ContainerEvent(Kind kind, String containerId, String taskId, Instant time) {
        this(kind, containerId, taskId, time, null);
    }

    /** The stream is back after a break. */
    public static ContainerEvent resync(Instant time) {
        return new ContainerEvent(Kind.RESYNC, null, null, time);
    }

    /** The container events that can change a task's known status. */
    public enum Kind {
        START,
        DIE,
        STOP,
        OOM,
        /** The result of the health check changed ({@code health_status: healthy}). */
        HEALTH_STATUS,
        /** The event stream was broken and is back (the engine may have restarted): look at everything. */
        RESYNC;

        /** The kind of Docker's action name ({@code die}, {@code oom}, ...); null for any other action. */
        public static Kind of(String action) {
            if (action == null) {
                return null;
            }
            if (action.startsWith("health_status")) {
                return HEALTH_STATUS;
            }
            switch (action) {
                case "start":
                    return START;
                case "die":
                    return DIE;
                case "stop":
                    return STOP;
                case "oom":
                    return OOM;
                default:
                    return null;
            }
        }

        /** Whether Docker announces this kind (every kind but RESYNC). */
        public boolean isDockers() {
            return this != RESYNC;
        }

        /** Docker's action name. */
        public String action() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
