package dev.berth.scheduler.placement;

import dev.berth.model.Resources;

/**
 * A container instance as placement sees it: where it is, whether its agent is connected,
 * and what remains on it (CPU and memory left, host ports already taken).
 */
public record Candidate(String instanceId, String cluster, boolean agentConnected, Resources remaining) {

    /** The same instance after a task takes {@code demand}: used within one placement call. */
    public Candidate take(Resources demand) {
        return new Candidate(instanceId, cluster, agentConnected, remaining.allocate(demand));
    }
}
