package dev.berth.agent.engine;

/**
 * Measures each sync of a {@link TaskWorker}, so the edge can record how long reconciling a
 * task takes without the engine knowing how it is recorded.
 */
@FunctionalInterface
public interface SyncTimer {

    /** Measures nothing. */
    SyncTimer UNTIMED = Runnable::run;

    /** Runs {@code sync} on the calling thread and records how long it took, failed or not. */
    void time(Runnable sync);
}
