package dev.berth.agent.engine;

import dev.berth.model.TaskResources;
import dev.berth.protocol.DesiredTask;
import java.util.Set;

/**
 * What a task holds on this host while it runs: its {@link TaskResources}, by the same rules
 * the scheduler places with.
 */
public record TaskReservation(int cpu, int memory, Set<Integer> tcpPorts, Set<Integer> udpPorts) {

    public static final TaskReservation NOTHING = new TaskReservation(0, 0, Set.of(), Set.of());

    public TaskReservation {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    public static TaskReservation of(DesiredTask task) {
        TaskResources r = TaskResources.of(task.taskDefinition(), task.overrides());
        return new TaskReservation(r.cpu(), r.memory(), r.tcpPorts(), r.udpPorts());
    }
}
