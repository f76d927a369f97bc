package dev.berth.agent.engine;

import dev.berth.agent.runtime.BerthLabels;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The tasks of this container instance: one {@link TaskWorker} per task, woken by desired
 * records, by resync ticks and (optionally) by container events, and run on a bounded
 * executor. Desired records are only collected until the reader has caught up with Kafka,
 * so that a task stopped later in the partition is never started on the way.
 *
 * <p>Each resync also sweeps the containers of this instance that no task claims (their task
 * was tombstoned): a running one is stopped, and one that exited longer than the task
 * cleanup wait ago is removed. A task whose containers its worker removed is dropped, and
 * later records for it are ignored until Kafka tombstones it.
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
    private final TaskCleanup cleanup;
    private final Map<String, TaskWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    /** Tasks whose containers were removed; held until Kafka tombstones them, so they never run again. */
    private final Set<String> cleanedUp = ConcurrentHashMap.newKeySet();
    private volatile boolean caughtUp;
    private volatile Instant lastResync;

    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout) {
        this(instanceId, runtime, reporter, executor, clock, defaultStopTimeout, TaskCleanup.ECS_DEFAULT_WAIT);
    }

    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout, Duration cleanupWait) {
        this(instanceId, runtime, reporter, executor, clock, defaultStopTimeout, cleanupWait, SyncTimer.UNTIMED);
    }

    /**
     * @param cleanupWait how long after its containers exited a STOPPED task keeps them
     * @param timer       measures every task sync (the agent's reconcile duration)
     */
    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout, Duration cleanupWait, SyncTimer timer) {
        this.timer = timer;
        this.cleanup = new TaskCleanup(cleanupWait, this::cleanedUp);
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
    public synchronized void desired(DesiredTask task) {
        if (!instanceId.equals(task.instanceId())) {
            return;
        }
        if (cleanedUp.contains(task.taskId())) {
            LOGGER.debugf("Task %s: ignoring version %d, its containers were removed", task.taskId(), task.version());
            return;
        }
        Long held = versions.get(task.taskId());
        if (!Versions.isNewer(task.version(), held)) {
            LOGGER.debugf("Task %s: ignoring version %d, holding %d", task.taskId(), task.version(), held);
            return;
        }
        versions.put(task.taskId(), task.version());
        TaskWorker worker = workers.computeIfAbsent(task.taskId(),
                id -> new TaskWorker(task, runtime, reporter, clock, defaultStopTimeout, timer, cleanup));
        worker.offer(task);
        if (caughtUp) {
            worker.wake(executor);
        }
    }

    /** The task's record was tombstoned: it has been STOPPED long enough to be forgotten. */
    public synchronized void forget(String taskId) {
        workers.remove(taskId);
        versions.remove(taskId);
        cleanedUp.remove(taskId);
    }

    /** The worker removed its task's containers: drop it, and keep its task from running again. */
    private synchronized void cleanedUp(TaskWorker worker) {
        cleanedUp.add(worker.taskId());
        workers.remove(worker.taskId(), worker);
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
        executor.execute(this::sweepOrphans);
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
     * Containers of this instance whose task Kafka no longer holds: nothing wants them. A
     * running one is stopped; one that exited longer than the cleanup wait ago is removed.
     * A container without our labels or of another instance is never touched.
     */
    private void sweepOrphans() {
        try {
            Instant removeIfExitedBy = clock.instant().minus(cleanup.after());
            for (RuntimeContainer container : runtime.list(instanceId)) {
                if (!container.isBerth() || !instanceId.equals(container.labels().get(BerthLabels.INSTANCE_ID))
                        || workers.containsKey(container.taskId())) {
                    continue;
                }
                if (container.status() == ContainerStatus.RUNNING) {
                    LOGGER.warnf("Task %s: container %s runs but no task wants it; stopping it",
                            container.taskId(), container.name());
                    runtime.stop(container.id(), defaultStopTimeout);
                } else if (container.status() == ContainerStatus.STOPPED && container.finishedAt() != null
                        && !container.finishedAt().isAfter(removeIfExitedBy)) {
                    LOGGER.infof("Task %s: removing container %s, exited at %s and claimed by no task",
                            container.taskId(), container.name(), container.finishedAt());
                    runtime.remove(container.id());
                }
            }
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Instance %s: cannot sweep orphaned containers: %s", instanceId, e.reason());
        }
    }
}
