package dev.berth.agent.engine;

import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.StopCode;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The one piece of code that changes one task, like the ECS agent's managed task and the
 * kubelet's pod worker. It keeps three statuses, each with one owner:
 * <ul>
 *   <li><b>desired</b>: the latest {@link DesiredTask} from Kafka, replaced by the engine
 *       (a newer one replaces a pending one: updates coalesce);</li>
 *   <li><b>known</b>: what the worker knows of the task and its containers, changed only
 *       by {@link #sync()};</li>
 *   <li><b>reported</b>: the last change the {@link StateReporter} took; after a restart,
 *       at first the last change this agent reported before it.</li>
 * </ul>
 * Each sync compares desired with what the runtime reports now and acts on the difference,
 * so a lost wake-up costs latency, never correctness. Syncs of one worker never overlap.
 * Getting the containers running is its {@link StartSequence}, stopping them its
 * {@link StopSequence}; removing them is its own.
 *
 * <p>A task that is STOPPED, wanted STOPPED and reported STOPPED, that report acknowledged by
 * Kafka, has its containers removed once they exited longer than the {@link TaskCleanup} wait
 * ago (until Kafka has the report, the containers are the only record of its exit codes); the
 * worker then stops acting and the engine drops it. A task still wanted RUNNING keeps its containers: after an
 * agent restart they are the only sign that it already ran, and without them it would be
 * run again.
 */
public final class TaskWorker {

    public static final String ESSENTIAL_CONTAINER_EXITED = "Essential container in task exited";
    public static final String STOPPED_BY_USER = "Task stopped by user";
    /** Why the containers of a task that the scheduler forgot while they ran are stopped (logged only). */
    static final String FORGOTTEN = "The scheduler forgot the task while this agent was away";
    static final String REMOVED_OUTSIDE_BERTH = "Container removed outside of Berth";
    static final String REMOVED_WHILE_AGENT_DOWN = "Container removed while the agent was down";
    static final String NEVER_STARTED = "Task stopped before the container started";

    private static final Logger LOGGER = Logger.getLogger(TaskWorker.class);

    private final String taskId;
    private final ContainerRuntime runtime;
    private final StateReporter reporter;
    private final Clock clock;
    private final SyncTimer timer;
    private final TaskCleanup cleanup;
    private final HostLedger ledger;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean wanted;
    /** A wake-up that is not an engine event (a new desired version, a resync): it always syncs. */
    private final AtomicBoolean wantedAnyway = new AtomicBoolean();
    /** The engine's time of the latest event about the task's containers; null before the first. */
    private final AtomicReference<Instant> latestEvent = new AtomicReference<>();
    /**
     * The exit code of the last die the engine announced, by the id of the task's container: one
     * removed before the worker looked ({@code docker rm -f}) exited with it, as ECS's agent takes
     * it. At most one per container the task had.
     */
    private final Map<String, Integer> announcedExitCodes = new ConcurrentHashMap<>();
    /**
     * When the last look at every container began (this agent's clock, the engine's host's): an
     * event older than that is already in what it saw.
     */
    private volatile Instant observedFrom;
    /** The known status as of the last sync, for readers on other threads (metrics). */
    private volatile TaskStatus knownStatus = TaskStatus.PROVISIONING;
    /** Set once the containers are removed; the worker does nothing after that. */
    private volatile boolean cleanedUp;
    /** Tombstoned by the scheduler ({@link #forget}): reports nothing more. */
    private volatile boolean forgotten;
    /** Until the first look at the runtime: a container of the last report that is gone went while the agent was down. */
    private boolean restored;

    private volatile DesiredTask desired;
    private final KnownTask known;
    private final ContainerRestarts restarts;
    private final StartSequence start;
    private final StopSequence stops;
    private volatile TaskStateChange reported;

    public TaskWorker(DesiredTask desired, ContainerRuntime runtime, StateReporter reporter, Clock clock,
            Duration defaultStopTimeout) {
        this(desired, runtime, reporter, clock, defaultStopTimeout, SyncTimer.UNTIMED, TaskCleanup.ECS_DEFAULT,
                HostLedger.unbounded(), null, false);
    }

    /**
     * @param ledger       admits the task before its first container is created, and gets back what it
     *                     held once the task has stopped
     * @param lastReported what this agent last reported of the task before a restart; null when nothing
     * @param newToHost    whether the task was placed after this agent read the desired state to its
     *                     end: no agent before this one can have created its containers, so the first
     *                     sync does not look for them by name
     */
    TaskWorker(DesiredTask desired, ContainerRuntime runtime, StateReporter reporter, Clock clock,
            Duration defaultStopTimeout, SyncTimer timer, TaskCleanup cleanup, HostLedger ledger,
            TaskStateChange lastReported, boolean newToHost) {
        this.timer = timer;
        this.cleanup = cleanup;
        this.ledger = ledger;
        this.taskId = desired.taskId();
        this.desired = desired;
        this.runtime = runtime;
        this.reporter = reporter;
        this.clock = clock;
        this.known = new KnownTask(taskId, desired.taskDefinition().containers());
        this.stops = new StopSequence(taskId, runtime, known, defaultStopTimeout);
        this.restarts = new ContainerRestarts(taskId, runtime, clock);
        this.start = new StartSequence(taskId, runtime, clock, ledger, known, restarts, new StartSequence.Worker() {
            @Override
            public void observe(DesiredTask task) throws ContainerRuntimeException {
                TaskWorker.this.observe(task);
            }

            @Override
            public void report(DesiredTask task) {
                TaskWorker.this.report(task);
            }

            @Override
            public boolean stopArrived() {
                return TaskWorker.this.desired.desiredStatus() == TaskStatus.STOPPED;
            }

            @Override
            public Duration stopTimeout(ContainerDefinition definition) {
                return stops.stopTimeout(definition);
            }
        });
        if (lastReported != null) {
            known.restore(lastReported);
            restarts.restore(lastReported.containers());
            reported = lastReported;
            knownStatus = lastReported.lastStatus();
            restored = true;
        } else if (newToHost) {
            known.newToThisHost();
        }
    }

    public String taskId() {
        return taskId;
    }

    /** Replaces the desired task; the caller has checked that its version is newer. */
    void offer(DesiredTask task) {
        desired = task;
    }

    /**
     * The scheduler tombstoned the task (it gave up on it, STOPPED, while this agent was away):
     * the worker stops what still runs, holds the task's resources until it has, and reports
     * nothing more, for a record after the tombstone would bring the task back on the
     * compacted berth.task-events with nobody left to end it.
     */
    void forget() {
        forgotten = true;
        DesiredTask task = desired;
        if (task.desiredStatus() != TaskStatus.STOPPED) {
            desired = task.stop(task.version() + 1, StopCode.UserInitiated.name(), FORGOTTEN);
        }
    }

    boolean isForgotten() {
        return forgotten;
    }

    DesiredTask desired() {
        return desired;
    }

    /**
     * The desired task, the last change reported and each container as known now; read from
     * other threads, all immutable.
     */
    TaskSnapshot snapshot() {
        return new TaskSnapshot(desired, reported, known.published());
    }

    /** Asks for a sync on {@code executor}; wake-ups while one runs fold into one more sync. */
    void wake(Executor executor) {
        wantedAnyway.set(true);
        wanted = true;
        if (scheduled.compareAndSet(false, true)) {
            schedule(executor);
        }
    }

    /**
     * Asks for a sync because the engine announced a change to one of the task's containers at
     * the event's time (by the engine's clock). When the sync comes, an event that happened before
     * the worker's last look at its containers began is skipped: that look already saw it. The
     * worker's own start of a container is announced while it inspects the container it
     * started, so each start would otherwise cost one more sync and inspect.
     */
    void wakeForEvent(ContainerEvent event, Executor executor) {
        if (event.exitCode() != null) {
            announcedExitCodes.put(event.containerId(), event.exitCode());
        }
        latestEvent.accumulateAndGet(event.time(), (a, b) -> a == null || b.isAfter(a) ? b : a);
        wanted = true;
        if (scheduled.compareAndSet(false, true)) {
            schedule(executor);
        }
    }

    /** Whether a sync can find anything new: a wake-up other than an event, or an event since the last look. */
    private boolean hasNews() {
        if (wantedAnyway.getAndSet(false)) {
            return true;
        }
        Instant event = latestEvent.get();
        Instant from = observedFrom;
        return event == null || from == null || !event.isBefore(from);
    }

    private void schedule(Executor executor) {
        try {
            executor.execute(() -> drain(executor));
        } catch (RejectedExecutionException e) {
            // Every task thread is busy (or the agent is stopping): the next resync wakes it again.
            scheduled.set(false);
            LOGGER.warnf("Task %s: no task thread is free (%s); it acts at the next resync", taskId, e.getMessage());
        }
    }

    private void drain(Executor executor) {
        try {
            while (wanted) {
                wanted = false;
                if (!hasNews()) {
                    continue;
                }
                try {
                    timer.time(this::sync);
                } catch (RuntimeException e) {
                    LOGGER.errorf(e, "Task %s: sync failed; trying again on the next wake-up", taskId);
                }
            }
        } finally {
            scheduled.set(false);
            if (wanted && scheduled.compareAndSet(false, true)) {
                schedule(executor);
            }
        }
    }

    /** Brings the task one step nearer to its desired status, then reports what changed. */
    public void sync() {
        if (cleanedUp) {
            // A hold taken as the task was forgotten, while this worker cleaned up, has nothing left to hold.
            ledger.release(taskId);
            return;
        }
        DesiredTask task = desired;
        try {
            observe(task);
            if (!known.isAtLeast(TaskStatus.STOPPED)) {
                if (task.desiredStatus() == TaskStatus.STOPPED) {
                    stop(task, task.stopCode() == null ? StopCode.UserInitiated.name() : task.stopCode(),
                            task.stoppedReason() == null ? STOPPED_BY_USER : task.stoppedReason());
                } else if (known.hasStopCause() || essentialExited(task)) {
                    stop(task, StopCode.EssentialContainerExited.name(), ESSENTIAL_CONTAINER_EXITED);
                } else if (known.all(ContainerStatus.STOPPED)) {
                    everyContainerStopped();
                } else {
                    run(task);
                }
            }
        } catch (ContainerRuntimeException e) {
            // The engine did not answer: what runs is unknown, so nothing is declared; resync retries.
            LOGGER.warnf("Task %s: %s; trying again on the next sync", taskId, e.reason());
        }
        report(task);
        knownStatus = known.status();
        if (stopping(task)) {
            // A turn at starting that came while the task waited in line goes to the next task.
            ledger.turns().leave(taskId);
        }
        if (known.isAtLeast(TaskStatus.STOPPED)) {
            // Only now, once every container has really stopped: a STOPPING task still holds its resources.
            ledger.release(taskId);
        }
        cleanUpIfDue(task);
    }

    /** The task's known status as of its last sync; safe to read from any thread. */
    TaskStatus knownStatus() {
        return knownStatus;
    }

    /** Folds what the runtime reports of each container into the known state. */
    private void observe(DesiredTask task) throws ContainerRuntimeException {
        Instant began = clock.instant();
        for (ContainerDefinition definition : task.taskDefinition().containers()) {
            ContainerState container = known.container(definition.name());
            if (container.lastStatus() == ContainerStatus.STOPPED
                    || container.runtimeId() == null && !known.mayHaveUnnamedContainers()) {
                // A task placed since this agent started has no container that its worker did not create.
                continue;
            }
            String ref = container.runtimeId() != null ? container.runtimeId()
                    : ContainerSpecs.containerName(task, definition.name());
            Optional<RuntimeContainer> seen = runtime.inspect(ref);
            if (seen.isPresent() && BerthLabels.isContainerOf(seen.get().labels(), task.instanceId(), taskId,
                    definition.name())) {
                known.observed(definition.name(), restarts.restartIfDue(definition, seen.get(), stopping(task)),
                        restarts.count(definition));
            } else if (container.runtimeId() != null) {
                known.stopped(definition.name(), restored ? REMOVED_WHILE_AGENT_DOWN : REMOVED_OUTSIDE_BERTH,
                        announcedExitCodes.get(container.runtimeId()));
            }
        }
        restored = false;
        observedFrom = began;
    }

    /** Whether the task is on its way to STOPPED, when no container is restarted. */
    private boolean stopping(DesiredTask task) {
        return task.desiredStatus() == TaskStatus.STOPPED || known.hasStopCause()
                || known.isAtLeast(TaskStatus.STOPPING);
    }

    private boolean essentialExited(DesiredTask task) {
        for (ContainerDefinition definition : task.taskDefinition().containers()) {
            if (definition.essentialOrDefault()
                    && known.container(definition.name()).lastStatus() == ContainerStatus.STOPPED) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every container has stopped, none of them essential (a definition registered before
     * registration refused such a one, as ECS refuses it): the task is STOPPED, as ECS's agent
     * moves a task whose containers have all stopped. Like that agent, the worker gives no
     * stop code or reason of its own; the containers' exit codes and reasons say why.
     */
    private void everyContainerStopped() {
        known.moveTo(TaskStatus.STOPPED, clock.instant());
        LOGGER.infof("Task %s is STOPPED: every container has stopped, and none is essential", taskId);
    }

    /** Creates and starts what does not run yet ({@link StartSequence}); a failure to do so stops the task. */
    private void run(DesiredTask task) throws ContainerRuntimeException {
        StartSequence.Outcome outcome = start.advance(task);
        if (outcome instanceof StartSequence.Outcome.Failed failed) {
            stop(task, StopCode.TaskFailedToStart.name(), failed.reason());
            return;
        }
        if (outcome != StartSequence.Outcome.STARTED) {
            return;
        }
        observe(task);
        // An essential container that exited stops the task with ECS's code and reason, also when
        // it was the last one running: only a task with no essential container stops without them.
        boolean essentialExited = essentialExited(task);
        if (!essentialExited && known.all(ContainerStatus.STOPPED)) {
            everyContainerStopped();
            return;
        }
        if (known.all(ContainerStatus.RUNNING) && !known.isAtLeast(TaskStatus.RUNNING)) {
            known.moveTo(TaskStatus.RUNNING, clock.instant());
            LOGGER.infof("Task %s is RUNNING", taskId);
            report(task);
        }
        if (essentialExited) {
            stop(task, StopCode.EssentialContainerExited.name(), ESSENTIAL_CONTAINER_EXITED);
        }
    }

    /**
     * Stops every container that runs ({@link StopSequence}); the task is STOPPED once each has
     * stopped, or been taken as stopped after the stops Docker refused or did not answer.
     */
    private void stop(DesiredTask task, String code, String reason) throws ContainerRuntimeException {
        known.stopCause(code, reason);
        List<ContainerDefinition> definitions = task.taskDefinition().containers();
        boolean anyRunning = known.containers().stream()
                .anyMatch(c -> c.runtimeId() != null && c.lastStatus() != ContainerStatus.STOPPED);
        if (anyRunning && !known.isAtLeast(TaskStatus.STOPPING)) {
            known.moveTo(TaskStatus.STOPPING, clock.instant());
            report(task);
        }
        if (!stops.advance(definitions)) {
            return;
        }
        observe(task);
        for (ContainerDefinition definition : definitions) {
            if (known.container(definition.name()).lastStatus() != ContainerStatus.RUNNING) {
                known.stopped(definition.name(), NEVER_STARTED);
            }
        }
        if (known.all(ContainerStatus.STOPPED)) {
            known.moveTo(TaskStatus.STOPPED, clock.instant());
            LOGGER.infof("Task %s is STOPPED (%s: %s)", taskId, code, reason);
        }
    }

    /**
     * Removes the containers once the task is STOPPED, wanted STOPPED, reported STOPPED with
     * Kafka's acknowledgement, and its containers exited longer than the wait ago. Only this
     * task's labelled containers are touched; a removal that fails is tried again on the next sync.
     */
    private void cleanUpIfDue(DesiredTask task) {
        Instant since = known.stoppedSince();
        boolean stopDelivered = forgotten || reported != null && reported.lastStatus() == TaskStatus.STOPPED
                && reporter.acknowledged(taskId);
        if (since == null || task.desiredStatus() != TaskStatus.STOPPED || !stopDelivered
                || clock.instant().isBefore(since.plus(cleanup.after()))) {
            return;
        }
        try {
            for (ContainerDefinition definition : task.taskDefinition().containers()) {
                ContainerState container = known.container(definition.name());
                String ref = container.runtimeId() != null ? container.runtimeId()
                        : ContainerSpecs.containerName(task, definition.name());
                Optional<RuntimeContainer> seen = runtime.inspect(ref);
                if (seen.isPresent() && BerthLabels.isContainerOf(seen.get().labels(), task.instanceId(), taskId,
                        definition.name())) {
                    if (seen.get().status() == ContainerStatus.RUNNING) {
                        // Started again by hand after the task stopped: the task still does not want it.
                        runtime.stop(seen.get().id(), stops.stopTimeout(definition));
                    }
                    runtime.remove(seen.get().id());
                }
            }
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Task %s: cannot remove its containers: %s; trying again on the next sync", taskId,
                    e.reason());
            return;
        }
        cleanedUp = true;
        LOGGER.infof("Task %s: containers removed, %s after they stopped", taskId, cleanup.after());
        cleanup.cleanedUp().accept(this);
    }

    /** Hands the known state to the reporter when it differs from what was last reported. */
    private void report(DesiredTask task) {
        if (known.status() == TaskStatus.PROVISIONING || forgotten) {
            return;
        }
        TaskStateChange content = known.toChange(task, 0, null);
        if (reported != null && content.equals(withoutVersion(reported))) {
            return;
        }
        long previous = reported == null ? 0 : reported.version();
        // A small counter, as ECS's task version: the last report (read back from Kafka after a
        // restart) plus one.
        TaskStateChange change = known.toChange(task, previous + 1, clock.instant());
        if (reporter.report(change)) {
            reported = change;
        }
    }

    private static TaskStateChange withoutVersion(TaskStateChange change) {
        return new TaskStateChange(change.schemaVersion(), 0, change.taskId(), change.cluster(), change.instanceId(),
                change.lastStatus(), change.containers(), change.stopCode(), change.stoppedReason(),
                change.pullStartedAt(), change.pullStoppedAt(), change.startedAt(), change.stoppingAt(),
                change.stoppedAt(), null);
    }
}
