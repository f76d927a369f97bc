package dev.berth.agent.engine;

import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.RemainingResources;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Versions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * The tasks of this container instance: one {@link TaskWorker} per task, woken by desired
 * records, by resync ticks and (optionally) by container events, and run on a bounded
 * executor. Desired records are only collected until the reader has caught up with Kafka,
 * so that a task stopped later in the partition is never started on the way.
 *
 * <p>Before the desired records, the engine may be {@link #seed seeded} with what this agent
 * last reported of its tasks: a worker then starts from that report, so a restart rewrites
 * none of it and a container that had a runtime id and is gone is never created again.
 *
 * <p>Each resync also runs the {@link OrphanSweep} over the containers of this instance that
 * no task claims. A task whose containers its worker removed is dropped, and later records for
 * it are ignored until Kafka tombstones it.
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
    private final OrphanSweep sweep;
    private final HostLedger ledger;
    /** What this agent last reported of each task before it started, by task id; dropped when Kafka forgets the task. */
    private final Map<String, TaskStateChange> lastReports = new ConcurrentHashMap<>();
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
        this(instanceId, runtime, reporter, executor, clock, defaultStopTimeout, cleanupWait, SyncTimer.UNTIMED,
                SweepPolicy.IMMEDIATE, HostLedger.unbounded());
    }

    /**
     * @param executor    runs task syncs and sweeps; it may refuse work (at its bound), which
     *                    the next resync retries
     * @param cleanupWait how long after its containers exited a STOPPED task keeps them
     * @param timer       measures every task sync (the agent's reconcile duration)
     * @param sweepPolicy when containers no task claims may be stopped and removed
     * @param ledger      the host's resources, which admit each task before it runs
     */
    public TaskEngine(String instanceId, ContainerRuntime runtime, StateReporter reporter, Executor executor,
            Clock clock, Duration defaultStopTimeout, Duration cleanupWait, SyncTimer timer, SweepPolicy sweepPolicy,
            HostLedger ledger) {
        this.ledger = ledger;
        ledger.wakeWith(this::wake);
        this.timer = timer;
        this.cleanup = new TaskCleanup(cleanupWait, this::cleanedUp);
        this.sweep = new OrphanSweep(instanceId, runtime, clock, sweepPolicy, cleanupWait, defaultStopTimeout);
        this.instanceId = instanceId;
        this.runtime = runtime;
        this.reporter = reporter;
        this.executor = executor;
        this.clock = clock;
        this.defaultStopTimeout = defaultStopTimeout;
    }

    /**
     * What this agent last reported of its tasks (its records on berth.task-events, or the
     * changes still buffered on disk), read before the desired records. Another instance's
     * report is ignored; of two reports of a task, the higher version wins.
     */
    public void seed(Collection<TaskStateChange> reports) {
        for (TaskStateChange report : reports) {
            if (instanceId.equals(report.instanceId())) {
                lastReports.merge(report.taskId(), report, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
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
        TaskWorker worker = workers.computeIfAbsent(task.taskId(), id -> {
            holdIfItRan(task, lastReports.get(id));
            // A record read after catching up was written after this agent started: no agent
            // before it can have seen the task (task ids are never reused), so none made its containers.
            return new TaskWorker(task, runtime, reporter, clock, defaultStopTimeout, timer, cleanup, ledger,
                    lastReports.get(id), caughtUp);
        });
        worker.offer(task);
        if (caughtUp) {
            worker.wake(executor);
        }
    }

    /**
     * A task this agent reported with containers, not yet STOPPED, holds its resources from
     * the moment its record is read back: before the desired state is whole, so no new task
     * is admitted on top of one that runs since before a restart.
     */
    private void holdIfItRan(DesiredTask task, TaskStateChange last) {
        if (last != null && last.lastStatus().ordinal() < TaskStatus.STOPPED.ordinal()
                && last.containers().stream().anyMatch(c -> c.runtimeId() != null)) {
            ledger.hold(task.taskId(), TaskReservation.of(task));
        }
    }

    /**
     * The task's record was tombstoned: it has been STOPPED long enough to be forgotten. A
     * worker not known STOPPED may still have running containers (the scheduler gave up on them
     * while this agent was away, or its report went with the task, so the worker has not looked
     * yet): it holds the task's resources from now, stops what runs, releases them only once its
     * containers have really stopped, as a STOPPING task does, and reports nothing more; its
     * cleanup removes it like any other. Dropping its hold at once let a new task be admitted on
     * the memory and ports that those containers still take until the orphan sweep stopped them.
     */
    public synchronized void forget(String taskId) {
        versions.remove(taskId);
        cleanedUp.remove(taskId);
        lastReports.remove(taskId);
        reporter.forget(taskId);
        TaskWorker worker = workers.get(taskId);
        if (worker != null && worker.knownStatus() != TaskStatus.STOPPED) {
            LOGGER.infof("Task %s was forgotten by the scheduler: stopping whatever of it runs", taskId);
            ledger.hold(taskId, TaskReservation.of(worker.desired()));
            worker.forget();
            if (caughtUp) {
                worker.wake(executor);
            }
            return;
        }
        workers.remove(taskId);
        ledger.release(taskId);
    }

    /** The worker removed its task's containers: drop it, and keep its task from running again. */
    private synchronized void cleanedUp(TaskWorker worker) {
        if (!worker.isForgotten()) {
            cleanedUp.add(worker.taskId());
        }
        workers.remove(worker.taskId(), worker);
    }

    /** Kafka has been read to its end: the desired state is whole, so act on it. */
    public void caughtUp() {
        if (caughtUp) {
            return;
        }
        LOGGER.infof("Instance %s: desired state rebuilt with %d tasks; comparing with the containers",
                instanceId, workers.size());
        // Admission opens only once those holds are taken: a tick or an event that wakes a task
        // while Docker is still asked about those containers would admit it on top of them.
        holdWhatWasCreatedUnreported();
        caughtUp = true;
        sweep.arm();
        resync();
    }

    /**
     * A task last reported PENDING without containers may have made some after that report
     * (the agent killed between a create and its next report, another container's pull under
     * way): when Docker has one of them, the task holds its resources before any task is
     * admitted, as one reported with containers does ({@link #holdIfItRan}). One whose
     * containers cannot be looked up now (the engine down) is left to its first sync.
     */
    private void holdWhatWasCreatedUnreported() {
        for (TaskWorker worker : List.copyOf(workers.values())) {
            DesiredTask task = worker.desired();
            TaskStateChange last = lastReports.get(worker.taskId());
            if (last == null || last.lastStatus() != TaskStatus.PENDING || task.desiredStatus() != TaskStatus.RUNNING
                    || last.containers().stream().anyMatch(c -> c.runtimeId() != null)) {
                continue;
            }
            for (ContainerDefinition definition : task.taskDefinition().containers()) {
                try {
                    Optional<RuntimeContainer> found = runtime.inspect(
                            ContainerSpecs.containerName(task, definition.name()));
                    if (found.isPresent()
                            && BerthLabels.belongsTo(found.get().labels(), task.instanceId(), task.taskId())) {
                        ledger.hold(task.taskId(), TaskReservation.of(task));
                        break;
                    }
                } catch (ContainerRuntimeException e) {
                    LOGGER.debugf("Task %s: cannot look for its containers yet (%s)", task.taskId(), e.reason());
                    break;
                }
            }
        }
    }

    /** Compares every task with the runtime again, and stops containers no task wants. */
    public void resync() {
        resync(Duration.ZERO, (delay, wake) -> wake.run());
    }

    /** Runs a wake-up after a delay (the agent's tick scheduler). */
    @FunctionalInterface
    public interface Later {
        void after(Duration delay, Runnable wake);
    }

    /**
     * As {@link #resync()}, with the tasks' wake-ups spread evenly over {@code spread}: the
     * periodic resync then keeps a thread or two busy, where waking every task at once started a
     * task thread and a Docker call thread per task, each held until idle for a while (30 s
     * then), which the next resync came before. An event, or a stream back after a break,
     * still wakes at once.
     */
    public void resync(Duration spread, Later later) {
        lastResync = clock.instant();
        if (!caughtUp) {
            return;
        }
        List<String> taskIds = new ArrayList<>(workers.keySet());
        long step = taskIds.isEmpty() ? 0 : spread.toNanos() / taskIds.size();
        for (int i = 0; i < taskIds.size(); i++) {
            String taskId = taskIds.get(i);
            later.after(Duration.ofNanos(step * i), () -> wake(taskId));
        }
        try {
            sweep.request(executor, workers::containsKey, lastReports::containsKey);
        } catch (RejectedExecutionException e) {
            LOGGER.warnf("Instance %s: no task thread is free for the orphan sweep (%s); it runs at the next resync",
                    instanceId, e.getMessage());
        }
    }

    /**
     * Follows the runtime's container events until the returned subscription is closed: each
     * event wakes its task's worker, so an exit is acted on at once rather than at the next
     * resync, and a stream that is back after a break (a Docker restart) resyncs every task.
     * Correctness still comes from the worker inspecting the containers.
     */
    public ContainerRuntime.Subscription watchEvents() {
        return runtime.events(instanceId, event -> {
            if (event.kind() == ContainerEvent.Kind.RESYNC) {
                resync();
            } else {
                wake(event);
            }
        });
    }

    /** The engine announced a change to a container of a task: sync it now, unless its last look saw it already. */
    private void wake(ContainerEvent event) {
        TaskWorker worker = workers.get(event.taskId());
        if (worker != null && caughtUp) {
            worker.wakeForEvent(event, executor);
        }
    }

    /** A container of this task changed (e.g. a Docker event): sync it now rather than at the next tick. */
    public void wake(String taskId) {
        TaskWorker worker = workers.get(taskId);
        if (worker != null && caughtUp) {
            worker.wake(executor);
        }
    }

    /**
     * Whether the engine has read the desired state to its end: from then on the ledger is whole,
     * every task that has containers holding its resources; before, a ledger rebuilt only in part
     * after a restart would call free what running containers take.
     */
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

    /** What this host has left, by its own ledger. */
    public RemainingResources remaining() {
        return ledger.remaining();
    }

    /** The images that the tasks this agent knows name, as their definitions write them. */
    public Set<String> imagesNamed() {
        Set<String> images = new HashSet<>();
        for (TaskWorker worker : workers.values()) {
            worker.desired().taskDefinition().containers().forEach(c -> images.add(c.image()));
        }
        return images;
    }

    public int taskCount() {
        return workers.size();
    }

    /** What each task is meant to be, what was last reported and its containers as known now, for introspection. */
    public List<TaskSnapshot> snapshot() {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (TaskWorker worker : workers.values()) {
            tasks.add(worker.snapshot());
        }
        return tasks;
    }
}
