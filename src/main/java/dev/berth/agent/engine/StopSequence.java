package dev.berth.agent.engine;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.protocol.ContainerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * How one task's containers are stopped, as its {@link TaskWorker} runs it on each sync
 * while the task is on its way to STOPPED: layer by layer in the order of
 * {@link DependencyGate#stopLayers}, a later layer only once every container of the layers
 * before it has stopped.
 *
 * <p>A stop that Docker refuses or does not answer in time is tried again on the next sync,
 * up to {@link #MAX_STOP_ATTEMPTS} times per container, as ECS's agent tries it; then, as
 * that agent does ("marking it as stopped anyway"), the container is taken as STOPPED with
 * the last failure as its reason, and the next layer goes on. Docker deadlocks on some stops
 * of containers whose process has already exited, and without a bound such a task would stay
 * STOPPING, holding its resources, with the containers it depends on never signalled. A stop
 * that never reached the engine (it could not be reached, or the agent is stopping) proves
 * nothing and is not counted.
 *
 * <p>It changes only the worker's {@link KnownTask}, on the worker's thread.
 */
final class StopSequence {

    /** As ECS's agent ({@code stopContainerMaxRetryCount}): the stops of one container before it is taken as stopped. */
    static final int MAX_STOP_ATTEMPTS = 5;

    private static final Logger LOGGER = Logger.getLogger(StopSequence.class);

    private final String taskId;
    private final ContainerRuntime runtime;
    private final KnownTask known;
    private final Duration defaultStopTimeout;
    /** The stops that failed so far, by container name. */
    private final Map<String, Integer> failedStops = new HashMap<>();

    StopSequence(String taskId, ContainerRuntime runtime, KnownTask known, Duration defaultStopTimeout) {
        this.taskId = taskId;
        this.runtime = runtime;
        this.known = known;
        this.defaultStopTimeout = defaultStopTimeout;
    }

    /**
     * Stops, layer by layer, every container that runs.
     *
     * @return whether every layer is done: each of its containers stopped or taken as stopped
     * @throws ContainerRuntimeException when a stop never reached the engine: the next sync tries again
     */
    boolean advance(List<ContainerDefinition> definitions) throws ContainerRuntimeException {
        for (List<ContainerDefinition> layer : DependencyGate.stopLayers(definitions)) {
            List<ContainerDefinition> running = new ArrayList<>();
            for (ContainerDefinition definition : layer) {
                ContainerState container = known.container(definition.name());
                if (container.runtimeId() != null && container.lastStatus() != ContainerStatus.STOPPED) {
                    running.add(definition);
                }
            }
            if (!settle(stopTogether(running))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How long the container gets between SIGTERM and SIGKILL: its own stopTimeout, else the
     * agent's. A stopTimeout of 0 or less is not set, as ECS's agent reads it, not an
     * immediate SIGKILL.
     */
    Duration stopTimeout(ContainerDefinition definition) {
        Integer seconds = definition.stopTimeout();
        return seconds == null || seconds <= 0 ? defaultStopTimeout : Duration.ofSeconds(seconds);
    }

    /**
     * Counts each failed stop; a container at the bound is taken as stopped.
     *
     * @return whether no container of the layer still waits for another attempt
     */
    private boolean settle(Map<String, ContainerRuntimeException> failures) throws ContainerRuntimeException {
        ContainerRuntimeException notSent = null;
        boolean done = true;
        for (Map.Entry<String, ContainerRuntimeException> failure : failures.entrySet()) {
            String name = failure.getKey();
            ContainerRuntimeException e = failure.getValue();
            if (e.inconclusive() && !e.unanswered()) {
                notSent = notSent == null ? e : notSent;
                continue;
            }
            int attempts = failedStops.merge(name, 1, Integer::sum);
            boolean givenUp = attempts >= MAX_STOP_ATTEMPTS;
            LOGGER.warnf("Task %s: container %s could not be stopped (attempt %d of %d): %s%s", taskId, name,
                    attempts, MAX_STOP_ATTEMPTS, e.reason(),
                    givenUp ? "; taking it as stopped anyway, as ECS's agent does" : "; trying again on the next sync");
            if (givenUp) {
                known.stopped(name, e.reason());
            } else {
                done = false;
            }
        }
        if (notSent != null) {
            throw notSent;
        }
        return done;
    }

    /**
     * Stops the containers of one layer at once (each Docker stop waits up to the container's
     * stopTimeout before it kills it), so that four containers that ignore SIGTERM take one
     * timeout, not four, and one that hangs holds up no other of its layer.
     *
     * @return the failed stops, by container name, once every stop has returned
     */
    private Map<String, ContainerRuntimeException> stopTogether(List<ContainerDefinition> containers)
            throws ContainerRuntimeException {
        Map<String, ContainerRuntimeException> failures = new LinkedHashMap<>();
        if (containers.size() == 1) {
            ContainerDefinition only = containers.get(0);
            try {
                runtime.stop(known.container(only.name()).runtimeId(), stopTimeout(only));
            } catch (ContainerRuntimeException e) {
                failures.put(only.name(), e);
            }
            return failures;
        }
        List<Thread> stops = new ArrayList<>();
        for (ContainerDefinition definition : containers) {
            String id = known.container(definition.name()).runtimeId();
            Duration timeout = stopTimeout(definition);
            Thread stop = new Thread(() -> {
                try {
                    runtime.stop(id, timeout);
                } catch (ContainerRuntimeException e) {
                    synchronized (failures) {
                        failures.put(definition.name(), e);
                    }
                }
            }, "berth-agent-stop-" + definition.name());
            stop.setDaemon(true);
            stops.add(stop);
            stop.start();
        }
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ContainerRuntimeException.inconclusive(RuntimeError.CannotStopContainerError,
                        "interrupted while the containers stop, the agent is stopping", e);
            }
        }
        synchronized (failures) {
            return new LinkedHashMap<>(failures);
        }
    }
}
