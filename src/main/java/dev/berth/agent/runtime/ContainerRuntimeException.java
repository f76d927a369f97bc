package dev.berth.agent.runtime;

/**
 * A container runtime call that failed, with its {@link RuntimeError} name. The message is
 * the ECS reason: {@code <ErrorName>: <detail>}.
 */
public final class ContainerRuntimeException extends Exception {

    private static final int MAX_REASON = 255;

    private final RuntimeError error;
    private final boolean imageMissing;
    private final boolean inconclusive;

    ContainerRuntimeException(RuntimeError error, String detail, Throwable cause) {
        this(error, detail, cause, false, false);
    }

    private ContainerRuntimeException(RuntimeError error, String detail, Throwable cause, boolean imageMissing,
            boolean inconclusive) {
        super(reason(error, detail), cause);
        this.error = error;
        this.imageMissing = imageMissing;
        this.inconclusive = inconclusive;
    }

    /**
     * A call whose outcome is unknown: the engine could not be reached, or its answer says
     * that the same call may succeed later (a name being released).
     */
    public static ContainerRuntimeException inconclusive(RuntimeError error, String detail, Throwable cause) {
        return new ContainerRuntimeException(error, detail, cause, false, true);
    }

    /**
     * A create that failed only because the image is not on the host: the caller may pull
     * it and create again. Its reason, should it reach a task, is a CannotCreateContainerError.
     */
    public static ContainerRuntimeException imageMissing(String image, Throwable cause) {
        return new ContainerRuntimeException(RuntimeError.CannotCreateContainerError, "No such image: " + image,
                cause, true, false);
    }

    public RuntimeError error() {
        return error;
    }

    /**
     * Whether the call's outcome is unknown ({@link #inconclusive}, or no answer in time): it
     * says nothing about the task, so it is tried again, never a reason to stop the task.
     */
    public boolean inconclusive() {
        return inconclusive || error == RuntimeError.DockerTimeoutError;
    }

    /** Whether this is a create that failed because the image is not on the host ({@link #imageMissing}). */
    public boolean imageMissing() {
        return imageMissing;
    }

    /** The ECS reason: {@code <ErrorName>: <detail>}, kept to ECS's 255 characters. */
    public String reason() {
        return getMessage();
    }

    private static String reason(RuntimeError error, String detail) {
        String text = error.name() + ": " + (detail == null ? "no detail" : detail.strip());
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON);
    }
}
