package dev.berth.scheduler;

/**
 * The ECS exception names Berth answers with. Each knows whether it is the caller's fault
 * (HTTP 400) or Berth's (HTTP 500/503), so the API maps it without a table of its own.
 */
public enum EcsErrorType {
    ClientException(400),
    InvalidParameterException(400),
    ClusterNotFoundException(400),
    ClusterContainsContainerInstancesException(400),
    ClusterContainsTasksException(400),
    ClusterContainsServicesException(400),
    ServiceNotFoundException(400),
    ServiceNotActiveException(400),
    TargetNotFoundException(400),
    /** TagResource and friends: the resource an ARN names does not exist. */
    ResourceNotFoundException(400),
    AttributeLimitExceededException(400),
    SerializationException(400),
    UnknownOperationException(400),
    /** An operation or feature of ECS that Berth does not have; the message says what to use instead. */
    UnsupportedFeatureException(400),
    /**
     * UpdateContainerAgent: ECS cannot tell the agent's version in a way it can update from,
     * which ECS answers for custom agents; Berth's agent is such a one.
     */
    MissingVersionException(400),
    /** The same clientToken came with another request. */
    ConflictException(400),
    /** Berth could not do what it should have: Kafka did not acknowledge a write, for example. */
    ServerException(500);

    private final int httpStatus;

    EcsErrorType(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
