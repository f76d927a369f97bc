package dev.berth.agent.runtime;

/**
 * A container runtime call that failed, with its {@link RuntimeError} name. The message is
 * the ECS reason: {@code <ErrorName>: <detail>}.
 */
public final class ContainerRuntimeException extends Exception {

    private static final int MAX_REASON = 255;

    private final RuntimeError error;

    ContainerRuntimeException(RuntimeError error, String detail, Throwable cause) {
        super(reason(error, detail), cause);
        this.error = error;
    }

    public RuntimeError error() {
        return error;
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
