package dev.berth.scheduler;

/**
 * The scheduler cannot answer yet: the role is not running in this process, or it is still
 * rebuilding its state from Kafka. A {@code ServerException} with HTTP 503, which the AWS
 * SDKs and CLI retry with backoff.
 */
public final class SchedulerUnavailableException extends EcsException {

    public SchedulerUnavailableException(String message) {
        super(EcsErrorType.ServerException, message);
    }

    @Override
    public int httpStatus() {
        return 503;
    }
}
