package dev.berth.agent.engine;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Versions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The tasks of this container instance: one {@link TaskWorker} per task, woken by desired
 * records, by resync ticks and (optionally) by container events, and run on a bounded
 * executor. Desired records are only collected until the reader has caught up with Kafka,
 * so that a task stopped later in the partition is never started on the way.
 */
public final class TaskEngine {

    private static final Logger LOGGER = Logger.getLogger(TaskEngine.class);

    private final String instanceId;
    private final ContainerRuntime runtime;
    private final StateReporter reporter;
    private final Executor executor;
    private final Clock clock;
    private final Duration defaultStopTimeout;
    private final SyncTimer timer;
    private final Map<String, TaskWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;
    private volatile Instant lastResync;

    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout) {
        this(instanceId, runtime, reporter, executor, clock, defaultStopTimeout, SyncTimer.UNTIMED);
    }

    /** @param timer measures every task sync (the agent's reconcile duration) */
    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout, SyncTimer timer) {
        this.timer = timer;
        this.instanceId = instanceId;
        this.runtime = runtime;
        this.reporter = reporter;
        this.executor = executor;
        this.clock = clock;
        this.defaultStopTimeout = defaultStopTimeout;
    }

    /**
     * A desired task from Kafka. Records for other instances and versions not newer than the
     * one held are ignored; a newer one replaces whatever the worker had not acted on yet.
     */
    public void desired(DesiredTask task) {
        if (!instanceId.equals(task.instanceId())) {
            return;
        }
        Long held = versions.get(task.taskId());
        if (!Versions.isNewer(task.version(), held)) {
            LOGGER.debugf("Task %s: ignoring version %d, holding %d", task.taskId(), task.version(), held);
            return;
        }
        versions.put(task.taskId(), task.version());
        TaskWorker worker = workers.computeIfAbsent(task.taskId(),
                id -> new TaskWorker(task, runtime, reporter, clock, defaultStopTimeout, timer));
        worker.offer(task);
        if (caughtUp) {
            worker.wake(executor);
        }
    }

    /** The task's record was tombstoned: it has been STOPPED long enough to be forgotten. */
    public void forget(String taskId) {
        workers.remove(taskId);
        versions.remove(taskId);
    }

    /** Kafka has been read to its end: the desired state is whole, so act on it. */
    public void caughtUp() {
        if (caughtUp) {
            return;
        }
        caughtUp = true;
        LOGGER.infof("Instance %s: desired state rebuilt with %d tasks; comparing with the containers",
                instanceId, workers.size());
        resync();
    }

    /** Compares every task with the runtime again, and stops containers no task wants. */
    public void resync() {
        lastResync = clock.instant();
        if (!caughtUp) {
            return;
        }
        for (TaskWorker worker : workers.values()) {
            worker.wake(executor);
        }
        executor.execute(this::stopOrphans);
    }

    /**
     * Follows the runtime's container events until the returned subscription is closed: each
     * event wakes its task's worker, so an exit is acted on at once rather than at the next
     * resync. Correctness still comes from the worker inspecting the containers.
     */
    public ContainerRuntime.Subscription watchEvents() {
        return runtime.events(instanceId, event -> wake(event.taskId()));
    }

    /** A container of this task changed (e.g. a Docker event): sync it now rather than at the next tick. */
    public void wake(String taskId) {
        TaskWorker worker = workers.get(taskId);
        if (worker != null && caughtUp) {
            worker.wake(executor);
        }
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** When {@link #resync()} was last called, caught up or not: the resync ticker is alive. */
    public Optional<Instant> lastResync() {
        return Optional.ofNullable(lastResync);
    }

    /** How many tasks this instance holds in each known status (absent statuses count zero). */
    public Map<TaskStatus, Integer> countByStatus() {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        for (TaskWorker worker : workers.values()) {
            counts.merge(worker.knownStatus(), 1, Integer::sum);
        }
        return counts;
    }

    public int taskCount() {
        return workers.size();
    }

    /** What each task is meant to be and what was last reported of it, for introspection. */
    public List<TaskSnapshot> snapshot() {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (TaskWorker worker : workers.values()) {
            tasks.add(worker.snapshot());
        }
        return tasks;
    }

    /**
     * Running containers of this instance whose task Kafka no longer holds: nothing wants
     * them, so they are stopped (never removed, and never a container without our labels).
     */
    private void stopOrphans() {
        try {
            for (RuntimeContainer container : runtime.list(instanceId)) {
                if (container.status() == ContainerStatus.RUNNING && !workers.containsKey(container.taskId())) {
                    LOGGER.warnf("Task %s: container %s runs but no task wants it; stopping it",
                            container.taskId(), container.name());
                    runtime.stop(container.id(), defaultStopTimeout);
                }
            }
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Instance %s: cannot look for orphaned containers: %s", instanceId, e.reason());
        }
    }
}
