package dev.berth.scheduler;

import java.util.function.Supplier;

/**
 * What the scheduler tells its observer (metrics, at the edge) as it places tasks and commits
 * requests. The gauges (tasks by status, consumer lag) are read through {@link SchedulerRole}
 * instead. Every method observes nothing by default, so an observer overrides what it counts.
 */
public interface SchedulerObserver {

    /** Observes nothing: for tests and tools that construct the scheduler by hand. */
    SchedulerObserver NONE = new SchedulerObserver() {
    };

    /** Why a request of berth.requests committed its changes apart from its answer. */
    enum AnswerApart {
        /** The answer did not come within the writer's hold. */
        HOLD_EXPIRED,
        /** The request had to wait (for a lock, or for plans in flight) after it had staged a plan. */
        REQUEST_WAITED
    }

    /** Tasks were published to their instances. */
    default void placed(int tasks) {
    }

    /**
     * An instance refused a task: one per ECS {@code failures[]} entry that placement produced,
     * with its reason ({@code RESOURCE:MEMORY}, {@code AGENT}, ...).
     */
    default void refused(String reason) {
    }

    /** Runs one plan application on the calling thread and records how long it took. */
    default <T> T timePlan(Supplier<T> apply) {
        return apply.get();
    }

    /** Runs one round of task reconciliation on the calling thread and records how long it took. */
    default void timeReconcile(Runnable round) {
        round.run();
    }

    /**
     * A request of berth.requests had its changes committed apart from its answer (still
     * exactly once, through its marker): one call per request.
     */
    default void answeredApart(AnswerApart cause) {
    }
}
