package dev.berth.agent.engine;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * When a STOPPED task's containers are removed, and whom the worker tells once they are.
 *
 * @param after     how long after its containers exited a task keeps them
 * @param cleanedUp told, on the worker's thread, once every container of the task is gone
 */
record TaskCleanup(Duration after, Consumer<TaskWorker> cleanedUp) {

    /** The ECS agent's ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION default. */
    static final Duration ECS_DEFAULT_WAIT = Duration.ofHours(3);

    /** The ECS default wait, and nobody to tell: for a worker used on its own. */
    static final TaskCleanup ECS_DEFAULT = new TaskCleanup(ECS_DEFAULT_WAIT, worker -> { });
}
