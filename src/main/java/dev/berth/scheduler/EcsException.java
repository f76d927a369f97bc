package dev.berth.scheduler;

/**
 * A failure the caller sees as an ECS error: {@code {"__type": type, "message": message}}.
 * The message names the field or the entity at fault, as ECS does.
 */
public class EcsException extends RuntimeException {

    private final EcsErrorType type;

    public EcsException(EcsErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public EcsException(EcsErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public EcsErrorType type() {
        return type;
    }

    /** The HTTP status of the answer: the type's, unless a subclass knows better. */
    public int httpStatus() {
        return type.httpStatus();
    }

    public static EcsException client(String message) {
        return new EcsException(EcsErrorType.ClientException, message);
    }

    public static EcsException invalidParameter(String message) {
        return new EcsException(EcsErrorType.InvalidParameterException, message);
    }

    public static EcsException clusterNotFound() {
        return new EcsException(EcsErrorType.ClusterNotFoundException, "Cluster not found.");
    }
}
