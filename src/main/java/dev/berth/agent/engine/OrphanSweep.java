package dev.berth.agent.engine;

import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Stops and removes the containers of this instance that no task claims (their task was
 * tombstoned), and only when that cannot be a misreading of Kafka:
 * <ul>
 *   <li>the {@link SweepPolicy.Gate} does not refuse (the edge refuses while the Kafka cluster
 *       id, or the partition count or topic id of berth.tasks, differs from the one recorded);</li>
 *   <li>the engine has acted on the whole desired state for at least the grace period, and
 *       the container has been seen unclaimed for at least as long;</li>
 *   <li>this agent's own last report on berth.task-events does not name the container's task:
 *       a task it reported but cannot find on berth.tasks means that it reads the wrong
 *       partition, not that the task is gone (the scheduler forgets both in one transaction).</li>
 * </ul>
 * A running orphan is stopped; one that exited longer than the cleanup wait ago is removed, and
 * one created and never started once it has been seen unclaimed for the cleanup wait.
 * A container without the Berth labels or of another instance is never touched. The memory of
 * when each container was first seen unclaimed holds only containers that the last sweep
 * listed, so it is bounded by this instance's containers.
 *
 * <p>A running orphan whose stop fails is tried again on the next sweeps, up to
 * {@link StopSequence#MAX_STOP_ATTEMPTS} times as a task's own container is; then it is left
 * running, with a WARN line, until it is seen in another state (exited, or started again) or
 * the agent restarts. Sweeps are {@link #request asked for} on the task threads and coalesced:
 * at most one runs and at most one waits to run after it, so a stop that hangs holds one task
 * thread, not one per resync.
 */
final class OrphanSweep {

    private static final Logger LOGGER = Logger.getLogger(OrphanSweep.class);

    private final String instanceId;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final SweepPolicy policy;
    private final Duration cleanupAfter;
    private final Duration stopTimeout;
    private final Map<String, Instant> unclaimedSince = new HashMap<>();
    private final Set<String> reportedButNotDesired = new HashSet<>();
    /** The stops of running orphans that failed, by container id, while the container stays as it was. */
    private final Map<String, FailedStops> failedStops = new HashMap<>();
    /** 0: no sweep asked for; 1: one waits for a thread or runs; 2: one runs and another follows it. */
    private final AtomicInteger asked = new AtomicInteger();
    private Instant armedAt;
    private String lastRefusal;

    OrphanSweep(String instanceId, ContainerRuntime runtime, Clock clock, SweepPolicy policy, Duration cleanupAfter,
            Duration stopTimeout) {
        this.instanceId = instanceId;
        this.runtime = runtime;
        this.clock = clock;
        this.policy = policy;
        this.cleanupAfter = cleanupAfter;
        this.stopTimeout = stopTimeout;
    }

    /** The engine has read the whole desired state and acts on it: the grace period starts. */
    synchronized void arm() {
        if (armedAt == null) {
            armedAt = clock.instant();
        }
    }

    /**
     * Asks for a {@link #sweep} on {@code executor}: none is handed to it while one waits or
     * runs; one asked for while a sweep runs runs once after it, on the same thread.
     *
     * @throws RejectedExecutionException when the executor refuses (at its bound); nothing is then asked for
     */
    void request(Executor executor, Predicate<String> claimed, Predicate<String> reported) {
        if (asked.getAndUpdate(n -> Math.min(n + 1, 2)) > 0) {
            return;
        }
        try {
            executor.execute(() -> sweepWhileAsked(claimed, reported));
        } catch (RejectedExecutionException e) {
            asked.set(0);
            throw e;
        }
    }

    private void sweepWhileAsked(Predicate<String> claimed, Predicate<String> reported) {
        boolean again = true;
        try {
            while (again) {
                sweep(claimed, reported);
                again = asked.decrementAndGet() > 0;
            }
        } finally {
            if (again) {
                // A sweep that failed unexpectedly must not keep every later one from being asked for.
                asked.set(0);
            }
        }
    }

    /**
     * @param claimed  whether a task the engine holds claims this task id
     * @param reported whether this agent's last report before its start names this task id
     */
    synchronized void sweep(Predicate<String> claimed, Predicate<String> reported) {
        Optional<String> refusal = policy.gate().refusal();
        if (refusal.isPresent()) {
            if (!refusal.get().equals(lastRefusal)) {
                LOGGER.warnf("Instance %s: the orphan sweep stops no container: %s", instanceId, refusal.get());
            }
            lastRefusal = refusal.get();
            return;
        }
        lastRefusal = null;
        Instant now = clock.instant();
        try {
            Set<String> listed = new HashSet<>();
            for (RuntimeContainer container : runtime.listExcept(instanceId, claimed)) {
                if (!container.isBerth() || !instanceId.equals(container.labels().get(BerthLabels.INSTANCE_ID))
                        || claimed.test(container.taskId())) {
                    continue;
                }
                listed.add(container.id());
                if (reported.test(container.taskId())) {
                    noteReportedButNotDesired(container);
                    continue;
                }
                Instant since = unclaimedSince.computeIfAbsent(container.id(), id -> now);
                if (armedAt != null && isPast(armedAt, now) && isPast(since, now)) {
                    try {
                        act(container, since);
                    } catch (ContainerRuntimeException e) {
                        // One container the engine will not stop or remove holds back no other.
                        LOGGER.warnf("Task %s: cannot clean up orphaned container %s: %s", container.taskId(),
                                container.name(), e.reason());
                    }
                }
            }
            unclaimedSince.keySet().retainAll(listed);
            reportedButNotDesired.retainAll(listed);
            failedStops.keySet().retainAll(listed);
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Instance %s: cannot sweep orphaned containers: %s", instanceId, e.reason());
        }
    }

    private boolean isPast(Instant since, Instant now) {
        return !now.isBefore(since.plus(policy.grace()));
    }

    private void noteReportedButNotDesired(RuntimeContainer container) {
        if (reportedButNotDesired.add(container.id())) {
            LOGGER.warnf("Task %s: container %s is not on this instance's partition of berth.tasks, but this agent"
                    + " reported the task on berth.task-events; leaving it alone (has the partition count of"
                    + " berth.tasks changed?)", container.taskId(), container.name());
        }
    }

    private void act(RuntimeContainer container, Instant unclaimedSince) throws ContainerRuntimeException {
        if (container.status() != ContainerStatus.RUNNING) {
            failedStops.remove(container.id());
        }
        if (container.status() == ContainerStatus.RUNNING) {
            stop(container);
        } else if (container.status() == ContainerStatus.STOPPED && container.finishedAt() != null
                && !container.finishedAt().isAfter(clock.instant().minus(cleanupAfter))) {
            LOGGER.infof("Task %s: removing container %s, exited at %s and claimed by no task", container.taskId(),
                    container.name(), container.finishedAt());
            runtime.remove(container.id());
        } else if (container.status() == ContainerStatus.PENDING
                && !unclaimedSince.isAfter(clock.instant().minus(cleanupAfter))) {
            // Created and never started (its start failed, or the task stopped first): nothing
            // ever exits it, so it waits the cleanup wait from when it was first seen unclaimed.
            LOGGER.infof("Task %s: removing container %s, created, never started and claimed by no task",
                    container.taskId(), container.name());
            runtime.remove(container.id());
        }
    }

    /** Stops a running orphan, unless its stops already failed as often as a task's container may. */
    private void stop(RuntimeContainer container) throws ContainerRuntimeException {
        FailedStops failed = failedStops.get(container.id());
        if (failed != null && !Objects.equals(failed.startedAt(), container.startedAt())) {
            failed = null;
        }
        if (failed != null && failed.count() >= StopSequence.MAX_STOP_ATTEMPTS) {
            return;
        }
        LOGGER.warnf("Task %s: container %s runs but no task wants it; stopping it", container.taskId(),
                container.name());
        try {
            runtime.stop(container.id(), stopTimeout);
            failedStops.remove(container.id());
        } catch (ContainerRuntimeException e) {
            if (!e.inconclusive() || e.unanswered()) {
                // As StopSequence counts: a stop that never reached the engine proves nothing.
                int count = failed == null ? 1 : failed.count() + 1;
                failedStops.put(container.id(), new FailedStops(container.startedAt(), count));
                if (count >= StopSequence.MAX_STOP_ATTEMPTS) {
                    LOGGER.warnf("Task %s: orphaned container %s (%s) could not be stopped %d times; the sweep"
                            + " leaves it running until its state changes or the agent restarts", container.taskId(),
                            container.name(), container.id(), count);
                }
            }
            throw e;
        }
    }

    /** The failed stops of a container that runs since {@code startedAt}. */
    private record FailedStops(Instant startedAt, int count) {
    }
}
