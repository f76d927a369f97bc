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
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Stops and removes the containers of this instance that no task claims (their task was
 * tombstoned), and only when that cannot be a misreading of Kafka:
 * <ul>
 *   <li>the {@link SweepPolicy.Gate} does not refuse (the edge refuses while the Kafka cluster
 *       id or the partition count of berth.tasks differs from the one recorded);</li>
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
        if (container.status() == ContainerStatus.RUNNING) {
            LOGGER.warnf("Task %s: container %s runs but no task wants it; stopping it", container.taskId(),
                    container.name());
            runtime.stop(container.id(), stopTimeout);
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
}
