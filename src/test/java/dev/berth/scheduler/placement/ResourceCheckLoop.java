package dev.berth.scheduler.placement;

import java.util.List;

/**
 * The placement benchmark's baseline: the least any placement of one copy must do, a plain loop
 * over every candidate checking only its agent, CPU and memory, keeping the one with the least
 * memory left (binpack on memory). No constraints, no spread, no snapshot, no explanation: the
 * planner's cost above this is what its checks, strategies and bookkeeping add.
 */
final class ResourceCheckLoop {

    private final List<Candidate> candidates;
    private final int[] cpuLeft;
    private final int[] memoryLeft;

    ResourceCheckLoop(List<Candidate> candidates) {
        this.candidates = candidates;
        this.cpuLeft = new int[candidates.size()];
        this.memoryLeft = new int[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            cpuLeft[i] = candidates.get(i).remaining().cpu();
            memoryLeft[i] = candidates.get(i).remaining().memory();
        }
    }

    /** Places one copy of {@code cpu} and {@code memory}: false when no candidate has room. */
    boolean place(int cpu, int memory) {
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.agentConnected() && cpuLeft[i] >= cpu && memoryLeft[i] >= memory
                    && (best < 0 || memoryLeft[i] < memoryLeft[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        cpuLeft[best] -= cpu;
        memoryLeft[best] -= memory;
        return true;
    }
}
