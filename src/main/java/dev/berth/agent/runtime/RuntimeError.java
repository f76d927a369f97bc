package dev.berth.agent.runtime;

/**
 * The named failures of a container runtime, with the ECS agent's names: the name and the
 * detail make the container's {@code reason} and the task's {@code stoppedReason}, e.g.
 * {@code CannotPullContainerError: pull access denied for web}.
 */
public enum RuntimeError {
    CannotPullContainerError,
    CannotCreateContainerError,
    CannotStartContainerError,
    CannotStopContainerError,
    CannotInspectContainerError,
    CannotRemoveContainerError,
    CannotListContainersError,
    CannotRemoveImageError,
    /** The engine did not answer in time: the outcome of the call is unknown. */
    DockerTimeoutError;

    public ContainerRuntimeException because(String detail) {
        return new ContainerRuntimeException(this, detail, null);
    }

    public ContainerRuntimeException because(String detail, Throwable cause) {
        return new ContainerRuntimeException(this, detail, cause);
    }
}
