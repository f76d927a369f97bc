package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.scheduler.placement.query.QueryTarget;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A container instance as placement sees it: where it is, whether its agent is connected,
 * what remains on it (CPU and memory left, TCP host ports taken in {@code remaining}, UDP host
 * ports taken in {@code udpPortsTaken}), what the cluster query language can ask about it, and
 * the groups of its tasks that are not desired STOPPED, with their counts.
 *
 * <p>Berth hosts are not EC2 instances: {@code ec2InstanceId} is the host name the agent
 * registered, the name an operator knows the machine by (the container instance id is random
 * and already has its own ARN).
 */
public record Candidate(
        String instanceId,
        String cluster,
        boolean agentConnected,
        Resources remaining,
        Set<Integer> udpPortsTaken,
        Map<String, String> attributes,
        String ec2InstanceId,
        String agentVersion,
        Instant registeredAt,
        int runningTasksCount,
        Map<String, Integer> taskGroups) implements QueryTarget {

    public Candidate {
        udpPortsTaken = udpPortsTaken == null ? Set.of() : Set.copyOf(udpPortsTaken);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        taskGroups = taskGroups == null ? Map.of() : Map.copyOf(taskGroups);
    }

    /** An instance known only by its resources: no attributes, tasks or registration details. */
    public Candidate(String instanceId, String cluster, boolean agentConnected, Resources remaining) {
        this(instanceId, cluster, agentConnected, remaining, Set.of(), Map.of(), null, null, null, 0, Map.of());
    }

    /**
     * The instance of a registration: its attributes, host name, agent version and registration
     * time, with what remains of it. The caller adds its tasks with {@link #withTasks}.
     */
    public static Candidate of(InstanceRegistration registration, boolean agentConnected, Resources remaining) {
        return new Candidate(registration.instanceId(), registration.cluster(), agentConnected, remaining, Set.of(),
                registration.attributes(), registration.hostname(), registration.agentVersion(),
                registration.registeredAt(), 0, Map.of());
    }

    /** The same instance with its tasks: how many run and, per group, how many are not desired STOPPED. */
    public Candidate withTasks(int running, Map<String, Integer> groups) {
        return new Candidate(instanceId, cluster, agentConnected, remaining, udpPortsTaken, attributes,
                ec2InstanceId, agentVersion, registeredAt, running, groups);
    }

    /** The same instance with its agent shown connected or not (a heartbeat gone stale, say). */
    public Candidate withAgentConnected(boolean connected) {
        return new Candidate(instanceId, cluster, connected, remaining, udpPortsTaken, attributes, ec2InstanceId,
                agentVersion, registeredAt, runningTasksCount, taskGroups);
    }

    /** The same instance with these attributes added (custom ones, from PutAttributes). */
    public Candidate withAttributes(Map<String, String> added) {
        if (added.isEmpty()) {
            return this;
        }
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.putAll(added);
        return new Candidate(instanceId, cluster, agentConnected, remaining, udpPortsTaken, all, ec2InstanceId,
                agentVersion, registeredAt, runningTasksCount, taskGroups);
    }

    /** The same instance with these UDP host ports taken. */
    public Candidate withUdpPortsTaken(Set<Integer> ports) {
        return new Candidate(instanceId, cluster, agentConnected, remaining, ports, attributes, ec2InstanceId,
                agentVersion, registeredAt, runningTasksCount, taskGroups);
    }

    /** The same instance after a task takes {@code demand}: used within one placement call. */
    public Candidate take(Resources demand) {
        return new Candidate(instanceId, cluster, agentConnected, remaining.allocate(demand), udpPortsTaken,
                attributes, ec2InstanceId, agentVersion, registeredAt, runningTasksCount, taskGroups);
    }

    /** How many tasks of {@code group} (not desired STOPPED) are on the instance. */
    public int tasksOf(String group) {
        return group == null ? 0 : taskGroups.getOrDefault(group, 0);
    }

    @Override
    public String attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public boolean hasTaskGroup(String group) {
        return tasksOf(group) > 0;
    }

    @Override
    public Iterable<String> groupNames() {
        return taskGroups.keySet();
    }
}
