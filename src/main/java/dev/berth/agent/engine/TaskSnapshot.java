package dev.berth.agent.engine;

import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.model.NetworkBinding;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.util.ArrayList;
import java.util.List;

/**
 * One task as the agent sees it at a moment: what is desired and what was last reported.
 * Both parts are immutable records, so a snapshot is safe to read on any thread.
 *
 * @param reported the last state change handed to the reporter; null before the first
 */
public record TaskSnapshot(DesiredTask desired, TaskStateChange reported) {

    public String taskId() {
        return desired.taskId();
    }

    public TaskStatus desiredStatus() {
        return desired.desiredStatus();
    }

    /** The known status: PROVISIONING until the worker has reported anything. */
    public TaskStatus knownStatus() {
        return reported == null ? TaskStatus.PROVISIONING : reported.lastStatus();
    }

    /** Each container of the definition, with its runtime id once it has one. */
    public List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        desired.taskDefinition().containers().forEach(definition -> {
            ContainerState state = reportedContainer(definition.name());
            containers.add(new Container(definition.name(), ContainerSpecs.containerName(desired, definition.name()),
                    state == null ? null : state.runtimeId(), state == null ? List.of() : state.networkBindings()));
        });
        return containers;
    }

    private ContainerState reportedContainer(String name) {
        if (reported == null) {
            return null;
        }
        for (ContainerState state : reported.containers()) {
            if (name.equals(state.name())) {
                return state;
            }
        }
        return null;
    }

    /**
     * @param runtimeName the engine's name of the container (deterministic)
     * @param runtimeId   the engine's id; null until the container has been created
     */
    public record Container(String name, String runtimeName, String runtimeId, List<NetworkBinding> networkBindings) {

        public Container {
            networkBindings = networkBindings == null ? List.of() : List.copyOf(networkBindings);
        }
    }
}
