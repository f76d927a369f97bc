package dev.berth.agent.runtime;

/**
 * A task volume mounted into a container, resolved from {@code mountPoints} and the task's
 * {@code volumes}.
 *
 * @param source a host path ({@link Kind#HOST_PATH}) or a Docker volume name
 */
public record VolumeMount(Kind kind, String source, String containerPath, boolean readOnly) {

    /** Where the data lives. */
    public enum Kind {
        /** A directory of the host ({@code host.sourcePath}): subject to the host's allow list. */
        HOST_PATH,
        /** A Docker volume the task shares and that outlives it ({@code scope: shared}), created when missing. */
        SHARED_VOLUME,
        /** A shared Docker volume that must exist already ({@code autoprovision} false, the ECS default). */
        EXISTING_VOLUME,
        /** A Docker volume of this task only, labelled with it and removed with its containers. */
        TASK_VOLUME
    }
}
