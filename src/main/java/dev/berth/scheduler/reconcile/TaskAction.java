package dev.berth.scheduler.reconcile;

import dev.berth.protocol.DesiredTask;

/** One change the task reconciler wants made. */
public sealed interface TaskAction {

    DesiredTask task();

    /**
     * The agent reports the task STOPPED while it is still desired RUNNING (an essential
     * container exited, the image could not be pulled): make STOPPED the desired status too,
     * with the agent's stopCode and reason, so no restarted agent ever runs it again.
     */
    record MarkStopped(DesiredTask task, String stopCode, String stoppedReason) implements TaskAction {
    }

    /** A STOPPED task kept past the retention: tombstone it so the compacted topics stay bounded. */
    record Forget(DesiredTask task) implements TaskAction {
    }

    /**
     * The task's container instance is gone (no heartbeat past the grace period, or
     * deregistered by force): the scheduler stops it in its agent's stead, so that it shows
     * STOPPED and releases its capacity.
     */
    record MarkLost(DesiredTask task, String stoppedReason) implements TaskAction {
    }
}
