package dev.berth.agent.runtime;

import java.math.BigDecimal;
import java.time.Duration;

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
     * The engine took the call and did not finish the transition in time, named as ECS's
     * agent names it: {@code DockerTimeoutError: Could not transition to started; timed out
     * after waiting 3m0s}, the duration written as Go writes it.
     */
    public static ContainerRuntimeException timedOut(String transition, Duration after) {
        return RuntimeError.DockerTimeoutError.because("Could not transition to " + transition
                + "; timed out after waiting " + goDuration(after));
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
     * Whether the call's outcome is unknown ({@link #inconclusive}, or no answer in time): by
     * itself it says nothing about the task, so it is tried again, never a reason to stop the
     * task. A start that was not answered is the exception: an inspect settles it
     * ({@link #unanswered}), for starting it again would wait as long again.
     */
    public boolean inconclusive() {
        return inconclusive || error == RuntimeError.DockerTimeoutError;
    }

    /**
     * Whether the engine took the call and did not answer before its deadline
     * ({@link RuntimeError#DockerTimeoutError}): what the call did is for an inspect to tell.
     * False for a call that was never sent (every call thread busy, the agent stopping) or
     * that could not reach the engine: those are {@link #inconclusive} only.
     */
    public boolean unanswered() {
        return error == RuntimeError.DockerTimeoutError && !inconclusive;
    }

    /** Whether this is a create that failed because the image is not on the host ({@link #imageMissing}). */
    public boolean imageMissing() {
        return imageMissing;
    }

    /** The ECS reason: {@code <ErrorName>: <detail>}, kept to ECS's 255 characters. */
    public String reason() {
        return getMessage();
    }

    /** As Go's {@code time.Duration.String()}: 3m0s, 45s, 1m30.5s, 300ms (to the millisecond). */
    public static String goDuration(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutes() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart() * 1000L + duration.toMillisPart(), 3);
        return text.append(seconds.stripTrailingZeros().toPlainString()).append('s').toString();
    }

    private static String reason(RuntimeError error, String detail) {
        String text = error.name() + ": " + (detail == null ? "no detail" : detail.strip());
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON);
    }
}
