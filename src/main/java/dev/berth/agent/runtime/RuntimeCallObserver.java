package dev.berth.agent.runtime;

import java.time.Duration;

/**
 * Told about every call a runtime makes to its engine: which call (a small fixed set such
 * as {@code create} or {@code inspect}, never a container id), how it ended and how long it
 * took. The agent's metrics and its "Docker is reachable" readiness read these.
 */
@FunctionalInterface
public interface RuntimeCallObserver {

    /** Observes nothing. */
    RuntimeCallObserver NONE = (call, outcome, took) -> {
    };

    /** How a call to the engine ended. */
    enum Outcome {
        /** The engine did what was asked (an idempotent no-op included). */
        OK,
        /** The engine answered with an error: it is reachable, the request failed. */
        ERROR,
        /** The engine did not answer within the call's deadline. */
        TIMEOUT,
        /** The engine could not be reached at all (no socket, connection refused). */
        UNREACHABLE;

        /** Whether the engine answered, successfully or not. */
        public boolean engineAnswered() {
            return this == OK || this == ERROR;
        }
    }

    void called(String call, Outcome outcome, Duration took);
}
