package dev.berth.scheduler.placement.query;

import java.time.Instant;

/** A container instance as the cluster query language sees it. */
public interface QueryTarget {

    /** The attribute's value, or null when the instance does not have it. */
    String attribute(String name);

    /** Berth has no EC2: the host name the agent registered (see {@code Candidate}). */
    String ec2InstanceId();

    boolean agentConnected();

    /** Null when unknown. */
    String agentVersion();

    /** Null when unknown. */
    Instant registeredAt();

    int runningTasksCount();

    /** Whether a task of {@code group} that is not desired STOPPED is on the instance. */
    boolean hasTaskGroup(String group);

    /** The groups of the tasks on the instance that are not desired STOPPED. */
    Iterable<String> groupNames();
}
