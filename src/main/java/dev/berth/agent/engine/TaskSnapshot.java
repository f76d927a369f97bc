package dev.berth.agent.engine;

import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.TaskStateChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One task as the agent sees it at a moment: what is desired, what was last reported, and
 * each container as its worker knows it now. All parts are immutable, so a snapshot is safe
 * to read on any thread.
 *
 * @param reported   the last state change handed to the reporter; null before the first
 * @param containers each container of the definition as the worker knows it now, in the
 *                   definition's order. A container's Docker id shows as soon as it is
 *                   created, not only when the sync that created it reports: a sync creates
 *                   every container, then starts them, and reports at its end.
 */
public record TaskSnapshot(DesiredTask desired, TaskStateChange reported, List<Container> containers) {

    public TaskSnapshot {
        containers = List.copyOf(containers);
    }

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

    /** The container of this name, as the worker knows it now. */
    public Optional<Container> container(String name) {
        return containers.stream().filter(c -> name.equals(c.name())).findFirst();
    }

    /**
     * One container as the worker knows it now.
     *
     * @param state      its known state; {@code runtimeId} is null until the container has been created
     * @param imageId    Docker's id of its image ({@code sha256:...}); null until this agent process
     *                   has inspected the container
     * @param createdAt  Docker's Created; null until this agent process has inspected the container
     * @param startedAt  Docker's StartedAt of its latest start; null when this agent process has not
     *                   seen it started (a container that had stopped before the agent restarted)
     * @param finishedAt Docker's FinishedAt once it has exited; null before, or when not seen
     * @param mounts     its bind mounts and volumes as Docker reports them; empty until this agent
     *                   process has inspected the container
     */
    public record Container(ContainerState state, String imageId, Instant createdAt, Instant startedAt,
            Instant finishedAt, List<RuntimeContainer.Mount> mounts) {

        public Container {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }

        /** A container whose creation time and mounts are not known. */
        public Container(ContainerState state, String imageId, Instant startedAt, Instant finishedAt) {
            this(state, imageId, null, startedAt, finishedAt, List.of());
        }

        public String name() {
            return state.name();
        }

        /** The engine's id; null until the container has been created. */
        public String runtimeId() {
            return state.runtimeId();
        }
    }
}
