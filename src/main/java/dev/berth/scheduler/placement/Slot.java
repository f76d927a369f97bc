package dev.berth.scheduler.placement;

import dev.berth.scheduler.placement.query.QueryTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One candidate during one placement call: its snapshot, less what the copies placed on it in
 * this call take. Mutable and confined to the call. As a {@link QueryTarget} it shows those
 * copies too, so a memberOf on runningTasksCount or task:group sees them.
 */
final class Slot implements QueryTarget {

    final int index;
    final Candidate candidate;
    private final String group;
    int cpu;
    int memory;
    /** Copies placed on this instance in this call. */
    int placed;
    /** Bits of the {@link FeasibilityCheck}s that fail, by ordinal; 0 when the task fits. */
    int failures;
    private Set<Integer> tcpTaken;
    private Set<Integer> udpTaken;

    Slot(int index, Candidate candidate, String group) {
        this.index = index;
        this.candidate = candidate;
        this.group = group;
        this.cpu = candidate.remaining().cpu();
        this.memory = candidate.remaining().memory();
        this.tcpTaken = candidate.remaining().ports();
        this.udpTaken = candidate.udpPortsTaken();
    }

    /** Tasks of the request's group on the instance, this call's copies included. */
    int groupTasks() {
        return candidate.tasksOf(group) + placed;
    }

    void take(Demand demand) {
        cpu -= demand.cpu();
        memory -= demand.memory();
        placed++;
        if (!demand.tcpPorts().isEmpty()) {
            tcpTaken = union(tcpTaken, demand.tcpPorts());
        }
        if (!demand.udpPorts().isEmpty()) {
            udpTaken = union(udpTaken, demand.udpPorts());
        }
    }

    boolean portsFree(Demand demand) {
        return disjoint(tcpTaken, demand.tcpPorts()) && disjoint(udpTaken, demand.udpPorts());
    }

    boolean fits() {
        return failures == 0;
    }

    List<FeasibilityCheck> failedChecks() {
        List<FeasibilityCheck> checks = new ArrayList<>();
        for (FeasibilityCheck check : FeasibilityCheck.values()) {
            if ((failures & (1 << check.ordinal())) != 0) {
                checks.add(check);
            }
        }
        return checks;
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static boolean disjoint(Set<Integer> taken, Set<Integer> wanted) {
        if (wanted.isEmpty()) {
            // Most tasks want no host port: no iterator for them, per instance, per placement.
            return true;
        }
        for (Integer port : wanted) {
            if (taken.contains(port)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String attribute(String name) {
        return candidate.attribute(name);
    }

    @Override
    public String ec2InstanceId() {
        return candidate.ec2InstanceId();
    }

    @Override
    public boolean agentConnected() {
        return candidate.agentConnected();
    }

    @Override
    public String agentVersion() {
        return candidate.agentVersion();
    }

    @Override
    public Instant registeredAt() {
        return candidate.registeredAt();
    }

    @Override
    public int runningTasksCount() {
        return candidate.runningTasksCount() + placed;
    }

    @Override
    public boolean hasTaskGroup(String name) {
        return candidate.hasTaskGroup(name) || (placed > 0 && name.equals(group));
    }

    @Override
    public Iterable<String> groupNames() {
        if (placed == 0 || group == null || candidate.hasTaskGroup(group)) {
            return candidate.groupNames();
        }
        List<String> groups = new ArrayList<>(candidate.taskGroups().keySet());
        groups.add(group);
        return groups;
    }
}
