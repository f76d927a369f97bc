package dev.berth.scheduler;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Task scale-in protection (UpdateTaskProtection, GetTaskProtection), kept with the task: the
 * end of the protection is a field of its desired record on berth.tasks, re-sent with a higher
 * version. The service scheduler does not stop a protected task to scale in or to retire it
 * in a deployment ({@code ServiceReconciler}). As in ECS, only a service's tasks take it.
 */
public final class TaskProtection {

    /** ECS's default and longest protection. */
    public static final int DEFAULT_MINUTES = 120;
    public static final int MAX_MINUTES = 2880;
    /** ECS's failure reason for a task protection cannot apply to (a standalone or stopped task). */
    public static final String TASK_NOT_VALID = "TASK_NOT_VALID";

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    private final Lock serviceLock;
    private final Clusters clusters;
    private final Tasks tasks;

    TaskProtection(SchedulerState state, StateWriter writer, Lock writeLock, Lock serviceLock, Clusters clusters,
            Tasks tasks) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.serviceLock = serviceLock;
        this.clusters = clusters;
        this.tasks = tasks;
    }

    /** ECS's {@code ProtectedTask}; {@code expirationDate} only while protected. */
    public record ProtectedTask(String taskArn, boolean protectionEnabled, Instant expirationDate) {
    }

    public record Outcome(List<ProtectedTask> protectedTasks, List<Failure> failures) {
    }

    /**
     * UpdateTaskProtection: protects the tasks for {@code expiresInMinutes} from now (120 when
     * null), or ends their protection. Every change is one transaction; a task that is not a
     * service's, or has stopped, is a TASK_NOT_VALID failure, an unknown one MISSING.
     */
    public Outcome update(String clusterRef, List<String> taskRefs, Boolean protectionEnabled,
            Integer expiresInMinutes) {
        if (protectionEnabled == null) {
            throw EcsException.invalidParameter("Invalid 'protectionEnabled': it is required.");
        }
        if (expiresInMinutes != null && !protectionEnabled) {
            throw EcsException.invalidParameter("Invalid 'expiresInMinutes': it applies only when protectionEnabled "
                    + "is true.");
        }
        int minutes = expiresInMinutes == null ? DEFAULT_MINUTES : expiresInMinutes;
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw EcsException.invalidParameter("Invalid 'expiresInMinutes': must be between 1 and " + MAX_MINUTES
                    + ".");
        }
        ClusterRecord cluster = require(clusterRef, taskRefs);
        serviceLock.lock();
        writeLock.lock();
        try {
            // Service passes and StopTask re-send task records too: read the latest versions.
            writer.drain();
            Instant now = state.clock().instant();
            Instant until = protectionEnabled ? now.plus(Duration.ofMinutes(minutes)) : null;
            List<ProtectedTask> answered = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            List<StateChange> changes = new ArrayList<>();
            for (String ref : taskRefs) {
                Optional<TaskView> task = valid(cluster, ref, failures);
                if (task.isPresent()) {
                    DesiredTask desired = task.get().desired();
                    changes.add(new StateChange.Put(desired.withProtection(desired.version() + 1, until)));
                    answered.add(new ProtectedTask(desired.taskArn(), protectionEnabled, until));
                }
            }
            if (!changes.isEmpty()) {
                writer.commit(changes);
            }
            return new Outcome(answered, failures);
        } finally {
            writeLock.unlock();
            serviceLock.unlock();
        }
    }

    /** GetTaskProtection: each task's protection as it stands now. */
    public Outcome get(String clusterRef, List<String> taskRefs) {
        ClusterRecord cluster = require(clusterRef, taskRefs);
        Instant now = state.clock().instant();
        List<ProtectedTask> answered = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String ref : taskRefs) {
            valid(cluster, ref, failures).map(TaskView::desired).ifPresent(d -> answered.add(
                    d.isProtectedAt(now) ? new ProtectedTask(d.taskArn(), true, d.protectedUntil())
                            : new ProtectedTask(d.taskArn(), false, null)));
        }
        return new Outcome(answered, failures);
    }

    private ClusterRecord require(String clusterRef, List<String> taskRefs) {
        if (taskRefs == null || taskRefs.isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'tasks': at least one task is required.");
        }
        if (taskRefs.size() > Tasks.MAX_TASKS_PER_CALL) {
            throw EcsException.invalidParameter("Invalid 'tasks': at most " + Tasks.MAX_TASKS_PER_CALL
                    + " tasks per call.");
        }
        return clusters.require(clusterRef);
    }

    /**
     * Started by a deployment of the service its group names, as ServiceRecord#owns has it: a
     * standalone task that RunTask put in the group {@code service:<name>} is not a service's.
     */
    private boolean belongsToAService(DesiredTask desired) {
        String group = desired.group();
        if (group == null || !group.startsWith("service:")) {
            return false;
        }
        return state.service(desired.cluster(), group.substring("service:".length()))
                .filter(service -> service.owns(desired)).isPresent();
    }

    private Optional<TaskView> valid(ClusterRecord cluster, String ref, List<Failure> failures) {
        Optional<TaskView> task = ref == null ? Optional.empty() : tasks.find(cluster.clusterName(), ref);
        if (task.isEmpty()) {
            failures.add(new Failure(ref, Failure.MISSING, null));
            return Optional.empty();
        }
        DesiredTask desired = task.get().desired();
        if (!belongsToAService(desired)) {
            failures.add(new Failure(desired.taskArn(), TASK_NOT_VALID, "The task does not belong to a service; "
                    + "only a service's tasks take scale-in protection."));
            return Optional.empty();
        }
        if (desired.desiredStatus() == TaskStatus.STOPPED || task.get().isStopped()) {
            failures.add(new Failure(desired.taskArn(), TASK_NOT_VALID, "The task is stopped or stopping."));
            return Optional.empty();
        }
        return task;
    }
}
