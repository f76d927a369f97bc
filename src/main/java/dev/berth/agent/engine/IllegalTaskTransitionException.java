package dev.berth.agent.engine;

import dev.berth.model.TaskStatus;

/** A task's known status would move backwards: a bug in the worker, never a runtime condition. */
public final class IllegalTaskTransitionException extends IllegalStateException {

    public IllegalTaskTransitionException(String taskId, TaskStatus from, TaskStatus to) {
        super("task " + taskId + " cannot move from " + from + " back to " + to);
    }
}
