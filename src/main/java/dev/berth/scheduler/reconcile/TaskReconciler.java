package dev.berth.scheduler.reconcile;

import dev.berth.model.StopCode;
import dev.berth.model.TaskStatus;
import dev.berth.scheduler.state.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What must change about tasks, from the whole state (level-triggered): a pure function of
 * the tasks, the time and the retention.
 *
 * <pre>
 * on a lost instance, not yet marked lost           → MarkLost (stopped in its agent's stead)
 * desired RUNNING, reported STOPPED                  → MarkStopped (desired follows what happened)
 * desired STOPPED, reported STOPPED, past retention → Forget (tombstones)
 * desired STOPPED, never reported, past retention   → Forget (its agent never saw it)
 * lost, past retention since it was lost            → Forget
 * </pre>
 */
public final class TaskReconciler {

    private final Duration retention;

    public TaskReconciler(Duration retention) {
        this.retention = retention;
    }

    public List<TaskAction> plan(List<TaskView> tasks, Instant now) {
        return plan(tasks, Map.of(), now);
    }

    /**
     * @param lostInstances the instances the scheduler lost, with why (for the stopped reason)
     */
    public List<TaskAction> plan(List<TaskView> tasks, Map<String, String> lostInstances, Instant now) {
        return plan(tasks, lostInstances, now, taskId -> null);
    }

    /**
     * @param stoppedSeen when the scheduler saw each task's STOPPED report, by its own clock (null
     *                    when it does not know): retention counts from then, not from the
     *                    agent's {@code stoppedAt}, since two hosts' clocks are not comparable
     */
    public List<TaskAction> plan(List<TaskView> tasks, Map<String, String> lostInstances, Instant now,
            Function<String, Instant> stoppedSeen) {
        List<TaskAction> actions = new ArrayList<>();
        for (TaskView task : tasks) {
            boolean reportedStopped = task.observed() != null && task.observed().lastStatus() == TaskStatus.STOPPED;
            String lostWhy = lostInstances.get(task.instanceId());
            if (lostWhy != null && !task.isLost() && !reportedStopped) {
                actions.add(new TaskAction.MarkLost(task.desired(), lostWhy));
            } else if (task.desiredStatus() == TaskStatus.RUNNING && reportedStopped) {
                String code = task.observed().stopCode() != null ? task.observed().stopCode()
                        : StopCode.EssentialContainerExited.name();
                actions.add(new TaskAction.MarkStopped(task.desired(), code, task.observed().stoppedReason()));
            } else if (task.desiredStatus() == TaskStatus.STOPPED
                    && isPastRetention(task, reportedStopped, now, stoppedSeen.apply(task.taskId()))) {
                actions.add(new TaskAction.Forget(task.desired()));
            }
        }
        return actions;
    }

    private boolean isPastRetention(TaskView task, boolean reportedStopped, Instant now, Instant seen) {
        Instant since;
        if (task.isLost() && !reportedStopped) {
            since = task.desired().lostAt() != null ? task.desired().lostAt()
                    : task.observed() != null && task.observed().reportedAt() != null ? task.observed().reportedAt()
                    : task.desired().createdAt();
        } else if (reportedStopped) {
            since = seen != null ? seen : task.stoppedAt() != null ? task.stoppedAt() : task.observed().reportedAt();
        } else if (task.observed() == null) {
            // Stopped before its agent ever reported it: the agent may be gone for good.
            since = task.desired().createdAt();
        } else {
            return false;
        }
        return since != null && since.plus(retention).isBefore(now);
    }
}
