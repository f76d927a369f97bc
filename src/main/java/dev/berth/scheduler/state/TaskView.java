package dev.berth.scheduler.state;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.Resources;
import dev.berth.model.StopCode;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.placement.TaskDemand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the API shows it: what the scheduler wants ({@link DesiredTask}) folded with
 * what its agent last reported ({@link TaskStateChange}). Before the agent reports anything
 * the task is {@code PENDING} with PENDING containers, as an EC2-launch-type task is in ECS
 * right after RunTask.
 */
public record TaskView(DesiredTask desired, TaskStateChange observed) {

    /** The status of a task that is placed but not yet reported by its agent. */
    public static final TaskStatus BEFORE_FIRST_REPORT = TaskStatus.PENDING;

    /**
     * The stop code the scheduler gives the tasks of a container instance it lost (no
     * heartbeat for the grace period) or deregistered by force: their agent cannot report
     * them stopped, so the scheduler's word stands until the agent says otherwise.
     */
    public static final String LOST = StopCode.TerminationNotice.name();

    public static TaskView fold(DesiredTask desired, TaskStateChange observed) {
        return new TaskView(desired, observed);
    }

    public String taskId() {
        return desired.taskId();
    }

    public String cluster() {
        return desired.cluster();
    }

    public String instanceId() {
        return desired.instanceId();
    }

    public TaskStatus lastStatus() {
        if (isLost()) {
            return TaskStatus.STOPPED;
        }
        return observed == null || observed.lastStatus() == null ? BEFORE_FIRST_REPORT : observed.lastStatus();
    }

    /**
     * Stopped by the scheduler because its container instance is gone: it shows STOPPED and
     * holds no capacity, whatever its agent last said.
     */
    public boolean isLost() {
        return desired.desiredStatus() == TaskStatus.STOPPED && LOST.equals(desired.stopCode());
    }

    public TaskStatus desiredStatus() {
        return desired.desiredStatus();
    }

    public boolean isStopped() {
        return lastStatus() == TaskStatus.STOPPED;
    }

    public boolean isRunning() {
        return lastStatus() == TaskStatus.RUNNING;
    }

    /** Not yet running and not stopped: what ECS counts as pending. */
    public boolean isPending() {
        return !isRunning() && !isStopped() && lastStatus() != TaskStatus.STOPPING;
    }

    /** What the task takes from its instance until it has stopped. */
    public Resources demand() {
        return TaskDemand.of(desired.taskDefinition(), desired.overrides());
    }

    /** The stop code: the agent's when it stopped the task itself, else the scheduler's. */
    public String stopCode() {
        if (!isLost() && observed != null && observed.stopCode() != null) {
            return observed.stopCode();
        }
        return desired.stopCode();
    }

    public String stoppedReason() {
        if (desired.stoppedReason() != null) {
            return desired.stoppedReason();
        }
        return observed == null ? null : observed.stoppedReason();
    }

    public Instant startedAt() {
        return observed == null ? null : observed.startedAt();
    }

    public Instant stoppingAt() {
        return observed == null ? null : observed.stoppingAt();
    }

    /**
     * When the task stopped: as its agent reported, or, for a task the scheduler stopped in
     * its lost agent's stead, when it did.
     */
    public Instant stoppedAt() {
        Instant reported = observed == null ? null : observed.stoppedAt();
        return reported == null && isLost() ? desired.lostAt() : reported;
    }

    public Instant pullStartedAt() {
        return observed == null ? null : observed.pullStartedAt();
    }

    public Instant pullStoppedAt() {
        return observed == null ? null : observed.pullStoppedAt();
    }

    /**
     * ECS's task version: the sum of the desired record's and the last report's versions, so
     * that it grows with every change of either (each counts up from 1 on its own), and the
     * "ECS Task State Change" events on berth.events carry the same number.
     */
    public long version() {
        return desired.version() + (observed == null ? 0 : observed.version());
    }

    /**
     * The task's health by ECS's rule ({@link HealthStatus#ofTask}) from what the agent
     * last reported of each container's health check.
     */
    public HealthStatus healthStatus() {
        Map<String, HealthStatus> health = new HashMap<>();
        for (ContainerState c : containers()) {
            if (c.healthStatus() != null) {
                health.put(c.name(), c.healthStatus());
            }
        }
        return HealthStatus.ofTask(desired.taskDefinition().containers(), health);
    }

    /**
     * One entry per container of the task definition, in its order, with what the agent
     * reported for it (PENDING when nothing yet).
     */
    public List<ContainerState> containers() {
        Map<String, ContainerState> reported = new HashMap<>();
        if (observed != null && observed.containers() != null) {
            for (ContainerState c : observed.containers()) {
                reported.put(c.name(), c);
            }
        }
        List<ContainerState> result = new ArrayList<>();
        for (ContainerDefinition definition : desired.taskDefinition().containers()) {
            ContainerState state = reported.get(definition.name());
            if (state == null) {
                state = new ContainerState(definition.name(), null, definition.image(),
                        isLost() ? ContainerStatus.STOPPED : ContainerStatus.PENDING, null, null, null);
            } else if (isLost() && state.lastStatus() != ContainerStatus.STOPPED) {
                // The task is STOPPED in its lost agent's stead: so are its containers, as ECS shows them.
                state = new ContainerState(state.name(), state.runtimeId(),
                        state.image() == null ? definition.image() : state.image(), ContainerStatus.STOPPED,
                        state.exitCode(), state.reason(), state.networkBindings(), state.healthStatus(),
                        state.restartCount());
            } else if (state.lastStatus() == null || state.image() == null) {
                state = new ContainerState(state.name(), state.runtimeId(),
                        state.image() == null ? definition.image() : state.image(),
                        state.lastStatus() == null ? ContainerStatus.PENDING : state.lastStatus(),
                        state.exitCode(), state.reason(), state.networkBindings(), state.healthStatus(),
                        state.restartCount());
            }
            result.add(state);
        }
        return result;
    }
}
