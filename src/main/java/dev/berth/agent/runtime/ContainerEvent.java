package dev.berth.agent.runtime;

import java.time.Instant;
import java.util.Locale;

/**
 * Something happened to a container of this instance, as the engine announces it. An event
 * only says "look again": the task's worker then inspects the container, so a lost,
 * repeated or out-of-order event costs latency, never correctness.
 *
 * @param containerId the engine's id of the container
 * @param taskId      the task id label of the container
 * @param time        when the engine saw it
 */
public record ContainerEvent(Kind kind, String containerId, String taskId, Instant time) {

    /** The container events that can change a task's known status. */
    public enum Kind {
        START,
        DIE,
        STOP,
        OOM,
        /** The result of the health check changed ({@code health_status: healthy}). */
        HEALTH_STATUS;

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

        /** Docker's action name. */
        public String action() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
