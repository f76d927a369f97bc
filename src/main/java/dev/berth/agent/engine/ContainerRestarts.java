package dev.berth.agent.engine;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerSettings;
import dev.berth.model.ContainerSettings.RestartPolicy;
import dev.berth.model.ContainerStatus;
import dev.berth.protocol.ContainerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Since when each container of a task runs, and the in-place restarts of its containers under their {@code restartPolicy}, as ECS
 * does them: a container that exits is started again, in the same container, unless its exit
 * code is ignored or it ran for less than {@code restartAttemptPeriod} since it last started.
 * How long it ran is measured with the worker's clock, from when the worker first saw it
 * running or last restarted it (Docker's start time when it never saw it run). A restart
 * the engine refuses is not tried again: the exit stands. Owned by one {@link TaskWorker}.
 */
final class ContainerRestarts {

    private static final Logger LOGGER = Logger.getLogger(ContainerRestarts.class);

    private final String taskId;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Map<String, Instant> runningSince = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Optional<RestartPolicy>> policies = new HashMap<>();
    /** The containers (name to runtime id) whose restart the engine refused: not tried again. */
    private final Map<String, String> failed = new HashMap<>();

    ContainerRestarts(String taskId, ContainerRuntime runtime, Clock clock) {
        this.taskId = taskId;
        this.runtime = runtime;
        this.clock = clock;
    }

    /**
     * What to fold into the known state for a container the engine reports as {@code seen}:
     * the container after its restart when one is due, else {@code seen}.
     *
     * @param stopping whether the task is stopping, when nothing is restarted
     */
    RuntimeContainer restartIfDue(ContainerDefinition definition, RuntimeContainer seen, boolean stopping)
            throws ContainerRuntimeException {
        String name = definition.name();
        Instant now = clock.instant();
        if (seen.status() == ContainerStatus.RUNNING) {
            runningSince.putIfAbsent(name, now);
            return seen;
        }
        RestartPolicy policy = policyOf(definition);
        if (stopping || policy == null || seen.status() != ContainerStatus.STOPPED) {
            return seen;
        }
        if (seen.id().equals(failed.get(name))) {
            return seen;
        }
        Instant since = runningSince.getOrDefault(name, seen.startedAt());
        if (!shouldRestart(policy, seen.exitCode(), since, now)) {
            return seen;
        }
        try {
            runtime.start(seen.id());
        } catch (ContainerRuntimeException e) {
            if (e.inconclusive()) {
                throw e;
            }
            // The engine refused (its port taken, a mount source gone): the exit stands, as ECS
            // records it, and an essential container's exit stops the task.
            LOGGER.warnf("Task %s: container %s exited with %s and could not be restarted: %s", taskId, name,
                    seen.exitCode(), e.reason());
            failed.put(name, seen.id());
            return seen;
        }
        counts.merge(name, 1, Integer::sum);
        runningSince.put(name, now);
        LOGGER.infof("Task %s: container %s exited with %s and was restarted (restart %d)", taskId, name,
                seen.exitCode(), counts.get(name));
        return runtime.inspect(seen.id()).orElse(seen);
    }

    /** Takes back the restart counts this agent last reported, so a restart of the agent does not reset them. */
    void restore(List<ContainerState> reported) {
        for (ContainerState container : reported) {
            if (container.restartCount() != null) {
                counts.put(container.name(), container.restartCount());
            }
        }
    }

    /** Since when each container seen running has run (first seen, or last restarted), by name. */
    Map<String, Instant> runningSince() {
        return Map.copyOf(runningSince);
    }

    /** How often the container was restarted; null when it has no restart policy. */
    Integer count(ContainerDefinition definition) {
        return policyOf(definition) == null ? null : counts.getOrDefault(definition.name(), 0);
    }

    /**
     * Whether a container that exited with {@code exitCode} is restarted: the policy is
     * enabled, the code is not ignored, and it ran for at least the attempt period. Pure.
     */
    static boolean shouldRestart(RestartPolicy policy, Integer exitCode, Instant runningSince, Instant exitedAt) {
        if (!policy.isEnabled() || exitCode == null || policy.ignoredExitCodesOrEmpty().contains(exitCode)) {
            return false;
        }
        Duration period = Duration.ofSeconds(policy.attemptPeriodOrDefault());
        return runningSince != null && !Duration.between(runningSince, exitedAt).minus(period).isNegative();
    }

    /** The enabled policy of the container, or null; read once, since a task's definition never changes. */
    private RestartPolicy policyOf(ContainerDefinition definition) {
        return policies.computeIfAbsent(definition.name(), name -> {
            try {
                RestartPolicy policy = ContainerSettings.of(definition).restartPolicy();
                return Optional.ofNullable(policy != null && policy.isEnabled() ? policy : null);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }
}
