package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU that the agent, this benchmark's JVM (the broker, the watch), dockerd and the whole
 * machine used during one series of (a)'s samples, summed over the samples: what else ran on
 * the two cores while the engine started the series' containers. Read from /proc, in
 * milliseconds (the kernel counts in ticks of 10 ms, so one sample says little; forty do).
 */
final class SampleCpu {

    private static final long SELF = ProcessHandle.current().pid();
    private static final double MILLIS_PER_TICK = 10.0;

    private final long agentPid;
    private final long dockerdPid;
    private long agent;
    private long self;
    private long dockerd;
    private double machine;
    private long[] at;
    private double machineAt;

    SampleCpu(long agentPid, long dockerdPid) {
        this.agentPid = agentPid;
        this.dockerdPid = dockerdPid;
    }

    /** A sample begins. */
    void begin() {
        at = new long[] {AgentProbe.cpuMillis(agentPid), AgentProbe.cpuMillis(SELF), AgentProbe.cpuMillis(dockerdPid)};
        machineAt = machineBusyMillis();
    }

    /** The sample that {@link #begin} began has ended. */
    void end() {
        agent += AgentProbe.cpuMillis(agentPid) - at[0];
        self += AgentProbe.cpuMillis(SELF) - at[1];
        dockerd += AgentProbe.cpuMillis(dockerdPid) - at[2];
        machine += machineBusyMillis() - machineAt;
    }

    @Override
    public String toString() {
        return String.format("the agent %,d ms, this JVM %,d ms, dockerd %,d ms, the whole machine %,.0f ms", agent,
                self, dockerd, machine);
    }

    /** Busy time of all cores since boot: every field of /proc/stat's cpu line but idle and iowait. */
    private static double machineBusyMillis() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
