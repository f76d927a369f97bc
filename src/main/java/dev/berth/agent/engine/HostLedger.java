package dev.berth.agent.engine;

import dev.berth.protocol.RemainingResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The host's own account of its resources, like the ECS agent's host resource manager: the
 * registered CPU and memory, and the TCP and UDP host ports, against what each admitted task
 * holds ({@link TaskReservation}). A task is admitted only when it fits; one that does not
 * waits, and is woken when another task releases what it held. A task holds its resources
 * from admission until it has really stopped (STOPPING still holds them), so a task placed
 * behind a slow stop never starts on top of it.
 *
 * <p>Bounded by the tasks of this instance: one entry per admitted or waiting task, dropped on
 * release. Which waiting task gets freed resources first is not ordered: every waiting task
 * is woken and the first to ask is admitted.
 */
public final class HostLedger {

    /** Why a task is not admitted (yet): the ECS failure reason of the first resource short. */
    public sealed interface Admission {
        /** The task holds its resources now. */
        record Admitted() implements Admission {
        }

        /** Not now: another task holds what it needs. */
        record Waiting(String reason) implements Admission {
        }

        /** Never on this host: it asks for more than the host registered, or a reserved port. */
        record Never(String reason) implements Admission {
        }
    }

    private static final Admission ADMITTED = new Admission.Admitted();

    private final int cpu;
    private final int memory;
    private final Set<Integer> reservedTcp;
    private final Set<Integer> reservedUdp;
    private final Map<String, TaskReservation> held = new HashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    private final StartTurns turns;
    private volatile Consumer<String> wake = taskId -> { };

    /** A ledger that lets every admitted task create and start its containers at once. */
    public HostLedger(int cpu, int memory, Set<Integer> reservedTcp, Set<Integer> reservedUdp) {
        this(cpu, memory, reservedTcp, reservedUdp, StartTurns.unbounded());
    }

    /**
     * @param cpu              CPU units registered
     * @param memory           memory registered, MiB
     * @param reservedTcp      TCP host ports no task may bind ({@code ECS_RESERVED_PORTS})
     * @param reservedUdp      UDP host ports no task may bind ({@code ECS_RESERVED_PORTS_UDP})
     * @param startParallelism how many admitted tasks may create and start containers at once
     *                         ({@link StartTurns})
     */
    public HostLedger(int cpu, int memory, Set<Integer> reservedTcp, Set<Integer> reservedUdp,
            int startParallelism) {
        this(cpu, memory, reservedTcp, reservedUdp, StartTurns.of(startParallelism));
    }

    private HostLedger(int cpu, int memory, Set<Integer> reservedTcp, Set<Integer> reservedUdp, StartTurns turns) {
        this.cpu = cpu;
        this.memory = memory;
        this.reservedTcp = Set.copyOf(reservedTcp);
        this.reservedUdp = Set.copyOf(reservedUdp);
        this.turns = turns;
    }

    /** A ledger that admits every task: for engines that do not account (unit tests of other logic). */
    public static HostLedger unbounded() {
        return new HostLedger(Integer.MAX_VALUE, Integer.MAX_VALUE, Set.of(), Set.of());
    }

    /** Who wakes a waiting task when resources are released; the engine sets it. */
    void wakeWith(Consumer<String> wake) {
        this.wake = wake;
        turns.wakeWith(wake);
    }

    /** The turns at creating and starting containers that admitted tasks take. */
    StartTurns turns() {
        return turns;
    }

    /**
     * Admits the task when it fits, or says why not. A task that already holds its resources
     * is admitted again at no cost.
     */
    public synchronized Admission admit(String taskId, TaskReservation need) {
        if (held.containsKey(taskId)) {
            return ADMITTED;
        }
        String never = never(need);
        if (never != null) {
            waiting.remove(taskId);
            return new Admission.Never(never);
        }
        String shortOf = shortOf(need);
        if (shortOf != null) {
            waiting.add(taskId);
            return new Admission.Waiting(shortOf);
        }
        waiting.remove(taskId);
        held.put(taskId, need);
        return ADMITTED;
    }

    /**
     * Records a task that already has containers (adopted after a restart, or created before
     * accounting saw it) without asking whether it fits: it holds its resources whatever the
     * ledger says, and the ledger must say so.
     */
    public synchronized void hold(String taskId, TaskReservation need) {
        waiting.remove(taskId);
        held.putIfAbsent(taskId, need);
    }

    /** The task has really stopped (or is forgotten): what it held is free, and the waiting tasks are woken. */
    public void release(String taskId) {
        turns.leave(taskId);
        List<String> toWake;
        synchronized (this) {
            waiting.remove(taskId);
            if (held.remove(taskId) == null) {
                return;
            }
            toWake = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (String id : toWake) {
            wake.accept(id);
        }
    }

    /** What the host has left, for the heartbeat. */
    public synchronized RemainingResources remaining() {
        int usedCpu = 0;
        int usedMemory = 0;
        Set<Integer> tcp = new TreeSet<>(reservedTcp);
        Set<Integer> udp = new TreeSet<>(reservedUdp);
        for (TaskReservation r : held.values()) {
            usedCpu += r.cpu();
            usedMemory += r.memory();
            tcp.addAll(r.tcpPorts());
            udp.addAll(r.udpPorts());
        }
        return new RemainingResources(cpu - usedCpu, memory - usedMemory, tcp, udp);
    }

    private String never(TaskReservation need) {
        if (need.cpu() > cpu) {
            return "RESOURCE:CPU (the task needs " + need.cpu() + " CPU units, this host registered " + cpu + ")";
        }
        if (need.memory() > memory) {
            return "RESOURCE:MEMORY (the task needs " + need.memory() + " MiB, this host registered " + memory + ")";
        }
        for (int port : need.tcpPorts()) {
            if (reservedTcp.contains(port)) {
                return "RESOURCE:PORTS (TCP host port " + port + " is reserved on this host)";
            }
        }
        for (int port : need.udpPorts()) {
            if (reservedUdp.contains(port)) {
                return "RESOURCE:PORTS_UDP (UDP host port " + port + " is reserved on this host)";
            }
        }
        return null;
    }

    private String shortOf(TaskReservation need) {
        RemainingResources left = remaining();
        if (need.cpu() > left.cpu()) {
            return "RESOURCE:CPU (the task needs " + need.cpu() + " CPU units, " + left.cpu() + " are free)";
        }
        if (need.memory() > left.memory()) {
            return "RESOURCE:MEMORY (the task needs " + need.memory() + " MiB, " + left.memory() + " are free)";
        }
        for (int port : need.tcpPorts()) {
            if (left.ports().contains(port)) {
                return "RESOURCE:PORTS (TCP host port " + port + " is held by another task)";
            }
        }
        for (int port : need.udpPorts()) {
            if (left.portsUdp().contains(port)) {
                return "RESOURCE:PORTS_UDP (UDP host port " + port + " is held by another task)";
            }
        }
        return null;
    }
}
