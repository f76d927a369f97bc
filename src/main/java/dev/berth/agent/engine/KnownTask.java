package dev.berth.agent.engine;

import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker knows of its task: the task's status, each container's, and why it stopped.
 * Owned by one {@link TaskWorker}, never shared, so it is plain mutable state; only
 * {@link #published()}, an immutable list that each change replaces, is read from other
 * threads. Statuses only move forward.
 */
final class KnownTask {

    /** ECS's container reason when the kernel killed it for exceeding its memory limit. */
    static final String OUT_OF_MEMORY = "OutOfMemoryError: Container killed due to memory usage";

    private final String taskId;
    private final Map<String, ContainerState> containers = new LinkedHashMap<>();
    /** The containers as of the last change, for readers on other threads (the introspection endpoints). */
    private volatile List<TaskSnapshot.Container> published = List.of();
    /** Docker's image id, Created, StartedAt, FinishedAt and Mounts of each container as last seen; not reported. */
    private final Map<String, String> containerImageId = new HashMap<>();
    private final Map<String, Instant> containerCreatedAt = new HashMap<>();
    private final Map<String, List<RuntimeContainer.Mount>> containerMounts = new HashMap<>();
    private final Map<String, Instant> containerStartedAt = new HashMap<>();
    private final Map<String, Instant> containerFinishedAt = new HashMap<>();
    private TaskStatus status = TaskStatus.PROVISIONING;
    private String stopCode;
    private String stoppedReason;
    private Instant pullStartedAt;
    private Instant pullStoppedAt;
    private Instant startedAt;
    private Instant stoppingAt;
    private Instant stoppedAt;
    /** The latest exit the engine reported of any container; not part of the report. */
    private Instant lastExitAt;
    /** The latest start the engine reported of any container; not part of the report. */
    private Instant lastStartAt;
    /**
     * Whether a container of this task may exist that no runtime id here names, and must be
     * looked for by its name: true unless the engine said the task is new to this host, and
     * again from the first create (one whose answer never came may have made it).
     */
    private boolean unnamedContainersMayExist = true;

    KnownTask(String taskId, List<ContainerDefinition> definitions) {
        this.taskId = taskId;
        for (ContainerDefinition definition : definitions) {
            containers.put(definition.name(), new ContainerState(definition.name(), null, definition.image(),
                    ContainerStatus.PENDING, null, null, List.of()));
        }
        publish();
    }

    /**
     * Takes back what this agent last reported of the task (its own record on
     * berth.task-events, or the change still buffered on disk), so that a restart rewrites
     * none of it: statuses, runtime ids, exit codes, reasons, health, restart counts and
     * times. Containers are matched by name; one the definition does not name is ignored.
     */
    void restore(TaskStateChange last) {
        status = last.lastStatus();
        stopCode = last.stopCode();
        stoppedReason = last.stoppedReason();
        pullStartedAt = last.pullStartedAt();
        pullStoppedAt = last.pullStoppedAt();
        startedAt = last.startedAt();
        stoppingAt = last.stoppingAt();
        stoppedAt = last.stoppedAt();
        for (ContainerState reported : last.containers()) {
            if (containers.containsKey(reported.name())) {
                ContainerState c = containers.get(reported.name());
                put(new ContainerState(reported.name(), reported.runtimeId(), c.image(), reported.lastStatus(),
                        reported.exitCode(), reported.reason(), reported.networkBindings(), reported.healthStatus(),
                        reported.restartCount()));
            }
        }
    }

    TaskStatus status() {
        return status;
    }

    boolean isAtLeast(TaskStatus other) {
        return status.ordinal() >= other.ordinal();
    }

    void moveTo(TaskStatus next, Instant now) {
        if (next == status) {
            return;
        }
        if (!status.canMoveTo(next)) {
            throw new IllegalTaskTransitionException(taskId, status, next);
        }
        status = next;
        if (next == TaskStatus.RUNNING) {
            // Docker's own StartedAt, so that a task adopted after a restart keeps its start time.
            startedAt = lastStartAt != null ? lastStartAt : now;
        } else if (next == TaskStatus.STOPPING) {
            stoppingAt = now;
        } else if (next == TaskStatus.STOPPED) {
            // Docker's own FinishedAt: a task whose containers exited while the agent was down
            // stopped then, not when the agent came back.
            stoppedAt = lastExitAt != null && lastExitAt.isBefore(now) ? lastExitAt : now;
            if (stoppingAt == null) {
                stoppingAt = stoppedAt;
            }
        }
    }

    ContainerState container(String name) {
        return containers.get(name);
    }

    List<ContainerState> containers() {
        return new ArrayList<>(containers.values());
    }

    /** Each container as of the last change; safe to read from any thread. */
    List<TaskSnapshot.Container> published() {
        return published;
    }

    /** Every container's state by name, as of now. */
    Map<String, ContainerState> byName() {
        return Map.copyOf(containers);
    }

    /** The first cause wins: a later StopTask does not hide that an essential container exited. */
    void stopCause(String code, String reason) {
        if (stopCode == null && stoppedReason == null) {
            stopCode = code;
            stoppedReason = reason;
        }
    }

    boolean hasStopCause() {
        return stopCode != null || stoppedReason != null;
    }

    void pullStarted(Instant now) {
        if (pullStartedAt == null) {
            pullStartedAt = now;
        }
    }

    void pullStopped(Instant now) {
        pullStoppedAt = now;
    }

    /** The task was placed on this host after its agent started: nothing has created its containers. */
    void newToThisHost() {
        unnamedContainersMayExist = false;
    }

    /** A create is about to be asked of the runtime; its container may exist from now on. */
    void creating() {
        unnamedContainersMayExist = true;
    }

    /** Whether a container without a runtime id may exist all the same ({@link #newToThisHost()}). */
    boolean mayHaveUnnamedContainers() {
        return unnamedContainersMayExist;
    }

    void created(String name, String runtimeId) {
        ContainerState c = containers.get(name);
        put(new ContainerState(name, runtimeId, c.image(), c.lastStatus(), c.exitCode(), c.reason(),
                c.networkBindings(), c.healthStatus(), c.restartCount()));
    }

    /** As {@link #observed(String, RuntimeContainer)}, with the container's restarts so far (null: no policy). */
    void observed(String name, RuntimeContainer seen, Integer restartCount) {
        observed(name, seen);
        ContainerState c = containers.get(name);
        put(new ContainerState(name, c.runtimeId(), c.image(), c.lastStatus(), c.exitCode(), c.reason(),
                c.networkBindings(), c.healthStatus(), restartCount));
    }

    /** Folds what the engine reports of a container into what is known; never backwards. */
    void observed(String name, RuntimeContainer seen) {
        if (seen.finishedAt() != null && (lastExitAt == null || seen.finishedAt().isAfter(lastExitAt))) {
            lastExitAt = seen.finishedAt();
        }
        if (seen.startedAt() != null && (lastStartAt == null || seen.startedAt().isAfter(lastStartAt))) {
            lastStartAt = seen.startedAt();
        }
        if (seen.imageId() != null) {
            containerImageId.put(name, seen.imageId());
        }
        if (seen.createdAt() != null) {
            containerCreatedAt.put(name, seen.createdAt());
        }
        containerMounts.put(name, seen.mounts());
        if (seen.startedAt() != null) {
            containerStartedAt.put(name, seen.startedAt());
        }
        // Null again once a restart policy has started it again, as Docker shows it.
        containerFinishedAt.put(name, seen.finishedAt());
        ContainerState c = containers.get(name);
        ContainerStatus next = c.lastStatus().canMoveTo(seen.status()) ? seen.status() : c.lastStatus();
        boolean stopped = next == ContainerStatus.STOPPED;
        put(new ContainerState(name, seen.id(), c.image(), next,
                stopped ? seen.exitCode() : c.exitCode(),
                c.reason() != null ? c.reason() : stopped ? exitReason(seen) : null,
                next == ContainerStatus.RUNNING || c.networkBindings().isEmpty() ? seen.networkBindings()
                        : c.networkBindings(),
                seen.health() != null ? seen.health() : c.healthStatus(), c.restartCount()));
    }

    /** Why the engine says the container exited: the kernel's OOM kill first, as ECS reports it. */
    private static String exitReason(RuntimeContainer seen) {
        return seen.oomKilled() ? OUT_OF_MEMORY : seen.error();
    }

    /** The container is STOPPED without an exit code: it failed, never ran, or vanished. */
    void stopped(String name, String reason) {
        stopped(name, reason, null);
    }

    /**
     * As {@link #stopped(String, String)}, for a container that vanished after the engine
     * announced its exit with {@code announcedExitCode} (null: no exit was announced).
     */
    void stopped(String name, String reason, Integer announcedExitCode) {
        ContainerState c = containers.get(name);
        if (c.lastStatus() == ContainerStatus.STOPPED) {
            return;
        }
        put(new ContainerState(name, c.runtimeId(), c.image(), ContainerStatus.STOPPED,
                c.exitCode() != null ? c.exitCode() : announcedExitCode,
                c.reason() != null ? c.reason() : reason, c.networkBindings(), c.healthStatus(), c.restartCount()));
    }

    /**
     * Since when the STOPPED task has stood still: its containers' last exit as the engine
     * reported it, so that an agent restart does not start the wait again; the time the task
     * became STOPPED when no container ever ran. Null before STOPPED.
     */
    Instant stoppedSince() {
        if (status != TaskStatus.STOPPED) {
            return null;
        }
        return lastExitAt != null ? lastExitAt : stoppedAt;
    }

    boolean all(ContainerStatus atLeast) {
        return containers.values().stream().allMatch(c -> c.lastStatus().ordinal() >= atLeast.ordinal());
    }

    private void put(ContainerState state) {
        containers.put(state.name(), state);
        publish();
    }

    private void publish() {
        published = containers.values().stream().map(c -> new TaskSnapshot.Container(c, containerImageId.get(c.name()),
                containerCreatedAt.get(c.name()), containerStartedAt.get(c.name()), containerFinishedAt.get(c.name()),
                containerMounts.get(c.name()))).toList();
    }

    /** The whole task as one change; version and reportedAt are the caller's. */
    TaskStateChange toChange(DesiredTask task, long version, Instant reportedAt) {
        return new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, taskId, task.cluster(), task.instanceId(),
                status, containers(), stopCode, stoppedReason, pullStartedAt, pullStoppedAt, startedAt,
                stoppingAt, stoppedAt, reportedAt);
    }
}
