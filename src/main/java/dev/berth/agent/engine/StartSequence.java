package dev.berth.agent.engine;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * How one task gets its containers running, as its {@link TaskWorker} runs it on each sync
 * while the task is wanted RUNNING: admission by the host's {@link HostLedger}, then, in
 * create order, the image and the create of each container, then the start of each one
 * whose dependencies are met ({@link DependencyGate}).
 *
 * <p>It changes only the worker's {@link KnownTask}, on the worker's thread. What the task
 * does next (wait, run, stop) is the worker's decision, from the {@link Outcome}.
 */
final class StartSequence {

    private static final Logger LOGGER = Logger.getLogger(StartSequence.class);

    /** What one pass of the sequence came to. */
    sealed interface Outcome {
        /** Every container whose dependencies are met has been started; others may still wait. */
        Outcome STARTED = new Started();
        /** Nothing more in this sync: the task waits for resources, or a StopTask has arrived. */
        Outcome PAUSED = new Paused();

        record Started() implements Outcome {
        }

        record Paused() implements Outcome {
        }

        /** The task cannot start: the worker stops it (TaskFailedToStart) with this reason. */
        record Failed(String reason) implements Outcome {
        }
    }

    /** What the sequence needs of its worker. */
    interface Worker {
        /** Folds what the runtime reports of each container into the known state. */
        void observe(DesiredTask task) throws ContainerRuntimeException;

        /** Hands the known state to the reporter when it changed. */
        void report(DesiredTask task);

        /**
         * Whether a StopTask came during this sync (a pull or a start can take minutes):
         * nothing more is created or started, and the wake-up that brought it runs the stop.
         */
        boolean stopArrived();

        /** How long the container gets between SIGTERM and SIGKILL. */
        Duration stopTimeout(ContainerDefinition definition);
    }

    private final String taskId;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final HostLedger ledger;
    private final KnownTask known;
    private final ContainerRestarts restarts;
    private final Worker worker;
    /** Containers whose image this task has pulled before creating them: pulled once in the task's life. */
    private final Set<String> pulled = new HashSet<>();
    /** Pulls that failed before the task's turn, by container: its create fails with it. */
    private final Map<String, ContainerRuntimeException> failedPulls = new HashMap<>();
    /** Why the task last waited for resources; null when it did not, so the wait is logged once. */
    private String waitingFor;

    StartSequence(String taskId, ContainerRuntime runtime, Clock clock, HostLedger ledger, KnownTask known,
            ContainerRestarts restarts, Worker worker) {
        this.taskId = taskId;
        this.runtime = runtime;
        this.clock = clock;
        this.ledger = ledger;
        this.known = known;
        this.restarts = restarts;
        this.worker = worker;
    }

    /**
     * Creates and starts what does not run yet, as far as resources, the host's turns at
     * creating and starting ({@link StartTurns}) and dependencies allow. Images that are pulled
     * before every create are pulled first, before the task takes its turn.
     */
    Outcome advance(DesiredTask task) throws ContainerRuntimeException {
        Outcome admission = admit(task);
        if (admission != Outcome.STARTED) {
            return admission;
        }
        List<ContainerDefinition> toCreate = new ArrayList<>();
        boolean toStart = false;
        for (ContainerDefinition definition : DependencyGate.createOrder(task.taskDefinition().containers())) {
            ContainerState container = known.container(definition.name());
            if (container.lastStatus() == ContainerStatus.PENDING) {
                if (container.runtimeId() == null) {
                    toCreate.add(definition);
                } else {
                    toStart = true;
                }
            }
        }
        if (toCreate.isEmpty() && !toStart) {
            return Outcome.STARTED;
        }
        pending(task);
        if (!pullFirst(toCreate)) {
            return Outcome.PAUSED;
        }
        StartTurns turns = ledger.turns();
        if (!turns.take(taskId)) {
            LOGGER.debugf("Task %s waits for its turn to create and start containers", taskId);
            return Outcome.PAUSED;
        }
        try {
            for (ContainerDefinition definition : toCreate) {
                try {
                    Optional<String> id = create(task, definition);
                    if (id.isEmpty()) {
                        return Outcome.PAUSED;
                    }
                    known.created(definition.name(), id.get());
                } catch (ContainerRuntimeException e) {
                    if (e.inconclusive()) {
                        // The engine is down, hung or busy releasing the name, not the task at fault: the
                        // next sync looks for the container by name and tries again.
                        throw e;
                    }
                    Outcome failed = cannotStart(definition, e);
                    if (definition.essentialOrDefault()) {
                        return failed;
                    }
                }
            }
            return startReady(task);
        } finally {
            turns.giveBack(taskId);
        }
    }

    /**
     * Pulls the images that the host's pull behaviour pulls before every create, once in this
     * task's life, without holding a turn (a pull can take minutes).
     *
     * @return false when a StopTask arrived meanwhile: nothing more is pulled or created
     */
    private boolean pullFirst(List<ContainerDefinition> toCreate) throws ContainerRuntimeException {
        ImagePullBehavior behavior = runtime.pullBehavior();
        if (!behavior.pullsCachedImages()) {
            return true;
        }
        for (ContainerDefinition definition : toCreate) {
            if (worker.stopArrived()) {
                return false;
            }
            if (pulled.add(definition.name())) {
                try {
                    pull(definition.image(), behavior);
                } catch (ContainerRuntimeException e) {
                    pulled.remove(definition.name());
                    if (e.inconclusive()) {
                        throw e;
                    }
                    // The create that follows fails the container with the pull's reason; when it is
                    // essential the task fails with it, and the other images need no pull.
                    failedPulls.put(definition.name(), e);
                    if (definition.essentialOrDefault()) {
                        break;
                    }
                }
            }
        }
        return !worker.stopArrived();
    }

    /**
     * Whether the host's ledger lets the task run. A task with containers already holds its
     * resources whatever the ledger says (adopted after a restart). One that does not fit
     * waits in PENDING until a task releases what it held; one that can never fit on this host
     * fails with the resource named.
     */
    private Outcome admit(DesiredTask task) {
        TaskReservation need = TaskReservation.of(task);
        if (known.containers().stream().anyMatch(c -> c.runtimeId() != null)) {
            ledger.hold(taskId, need);
            return Outcome.STARTED;
        }
        HostLedger.Admission admission = ledger.admit(taskId, need);
        if (admission instanceof HostLedger.Admission.Admitted) {
            if (waitingFor != null) {
                LOGGER.infof("Task %s: resources are free; starting it", taskId);
                waitingFor = null;
            }
            return Outcome.STARTED;
        }
        pending(task);
        if (admission instanceof HostLedger.Admission.Never never) {
            LOGGER.warnf("Task %s cannot run on this host: %s", taskId, never.reason());
            return new Outcome.Failed(never.reason());
        }
        String reason = ((HostLedger.Admission.Waiting) admission).reason();
        if (!reason.equals(waitingFor)) {
            LOGGER.infof("Task %s waits in PENDING for resources: %s", taskId, reason);
            waitingFor = reason;
        }
        return Outcome.PAUSED;
    }

    private void pending(DesiredTask task) {
        if (!known.isAtLeast(TaskStatus.PENDING)) {
            known.moveTo(TaskStatus.PENDING, clock.instant());
            worker.report(task);
        }
    }

    /**
     * Starts each created container whose dependencies are met ({@link DependencyGate}), in
     * passes while some wait, so one started now can let another start in the same sync.
     */
    private Outcome startReady(DesiredTask task) throws ContainerRuntimeException {
        List<ContainerDefinition> definitions = task.taskDefinition().containers();
        Set<String> started = new HashSet<>();
        while (true) {
            boolean waiting = false;
            int before = started.size();
            for (ContainerDefinition definition : definitions) {
                ContainerState container = known.container(definition.name());
                if (container.runtimeId() == null || container.lastStatus() != ContainerStatus.PENDING
                        || started.contains(definition.name())) {
                    continue;
                }
                DependencyGate.Verdict gate = DependencyGate.check(definition, definitions, known.byName(),
                        restarts.runningSince(), clock.instant());
                if (gate instanceof DependencyGate.Verdict.Unmeetable never) {
                    known.stopped(definition.name(), never.reason());
                    if (definition.essentialOrDefault()) {
                        LOGGER.warnf("Task %s: %s", taskId, never.reason());
                        return new Outcome.Failed(never.reason());
                    }
                    LOGGER.warnf("Task %s: %s; it is not essential, so the task goes on without it", taskId,
                            never.reason());
                    started.add(definition.name());
                    continue;
                }
                waiting |= gate instanceof DependencyGate.Verdict.Waiting;
                if (gate instanceof DependencyGate.Verdict.Met) {
                    if (worker.stopArrived()) {
                        return Outcome.PAUSED;
                    }
                    Optional<ContainerRuntimeException> refused = start(definition, container.runtimeId());
                    if (refused.isPresent()) {
                        Outcome failed = cannotStart(definition, refused.get());
                        if (definition.essentialOrDefault()) {
                            return failed;
                        }
                    }
                    started.add(definition.name());
                }
            }
            if (!waiting || started.size() == before) {
                return Outcome.STARTED;
            }
            worker.observe(task);
        }
    }

    /**
     * Starts the container. A start the engine took and did not answer in time is settled by
     * an inspect at once, not by starting it again (which would wait as long again, sync after
     * sync): a container that started all the same is kept, and the next look folds it in; one
     * still only created has failed with the DockerTimeoutError, as in ECS's agent, which
     * stops it in case the start still comes through.
     *
     * @return the failure when the container did not start; empty when it did
     * @throws ContainerRuntimeException when the engine could not be reached, or did not
     *         answer the inspect either: nothing is declared, and the next sync tries again
     */
    private Optional<ContainerRuntimeException> start(ContainerDefinition definition, String runtimeId)
            throws ContainerRuntimeException {
        try {
            runtime.start(runtimeId);
            return Optional.empty();
        } catch (ContainerRuntimeException e) {
            if (!e.unanswered()) {
                if (e.inconclusive()) {
                    throw e;
                }
                return Optional.of(e);
            }
            Optional<RuntimeContainer> seen = runtime.inspect(runtimeId);
            if (seen.isPresent() && seen.get().status() != ContainerStatus.PENDING) {
                LOGGER.infof("Task %s: container %s started, though Docker answered too late: %s", taskId,
                        definition.name(), e.reason());
                return Optional.empty();
            }
            stopLateStart(definition, runtimeId);
            return Optional.of(e);
        }
    }

    /** Stops a container whose start timed out, should the start still come through; a failure is only logged. */
    private void stopLateStart(ContainerDefinition definition, String runtimeId) {
        try {
            runtime.stop(runtimeId, worker.stopTimeout(definition));
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Task %s: container %s, whose start timed out, could not be stopped: %s", taskId,
                    definition.name(), e.reason());
        }
    }

    /**
     * Creates the container, with its image as the host's pull behaviour wants it
     * ({@link ImagePullBehavior}). An image that is pulled only when missing is not looked
     * for first: the create says when it is missing, and only then is it pulled and the
     * create made again, so a cached image costs no extra call to the engine.
     *
     * @return the container's runtime id; empty when a StopTask arrived during the pull
     */
    private Optional<String> create(DesiredTask task, ContainerDefinition definition)
            throws ContainerRuntimeException {
        ContainerSpec spec = ContainerSpecs.build(task, definition);
        ImagePullBehavior behavior = runtime.pullBehavior();
        if (behavior.pullsCachedImages()) {
            ContainerRuntimeException failedPull = failedPulls.remove(definition.name());
            if (failedPull != null) {
                throw failedPull;
            }
        } else if (!worker.stopArrived()) {
            try {
                known.creating();
                return Optional.of(runtime.create(spec));
            } catch (ContainerRuntimeException e) {
                if (!e.imageMissing()) {
                    throw e;
                }
            }
            if (!pullOutsideTurn(definition.image(), behavior)) {
                return Optional.empty();
            }
        }
        if (worker.stopArrived()) {
            return Optional.empty();
        }
        known.creating();
        return Optional.of(runtime.create(spec));
    }

    /**
     * Pulls a missing image with the task's turn given back, since a pull can take minutes, then
     * takes a turn again.
     *
     * @return false when the task is in line for its turn again: it is woken when it comes
     * @throws ContainerRuntimeException when the pull failed
     */
    private boolean pullOutsideTurn(String image, ImagePullBehavior behavior) throws ContainerRuntimeException {
        StartTurns turns = ledger.turns();
        turns.giveBack(taskId);
        ContainerRuntimeException failed = null;
        try {
            pull(image, behavior);
        } catch (ContainerRuntimeException e) {
            failed = e;
        }
        boolean turn = turns.take(taskId);
        if (failed != null) {
            throw failed;
        }
        return turn;
    }

    /** Pulls the image; a failed pull falls back to the cached image only when the behaviour allows it. */
    private void pull(String image, ImagePullBehavior behavior) throws ContainerRuntimeException {
        known.pullStarted(clock.instant());
        try {
            runtime.pull(image);
        } catch (ContainerRuntimeException e) {
            if (!behavior.fallsBackToCache(true) || !runtime.hasImage(image)) {
                throw e;
            }
            LOGGER.warnf("Task %s: %s; running the cached image", taskId, e.reason());
        } finally {
            known.pullStopped(clock.instant());
        }
    }

    /**
     * The container cannot run: it is STOPPED with the engine's reason. The task fails with it
     * when the container is essential; without an essential one, the task goes on without it,
     * as ECS's agent does (a container that depends on it then finds its dependency unmeetable).
     */
    private Outcome cannotStart(ContainerDefinition definition, ContainerRuntimeException e) {
        LOGGER.warnf("Task %s: container %s failed to start: %s%s", taskId, definition.name(), e.reason(),
                definition.essentialOrDefault() ? "" : "; it is not essential, so the task goes on without it");
        known.stopped(definition.name(), e.reason());
        return new Outcome.Failed(e.reason());
    }
}
