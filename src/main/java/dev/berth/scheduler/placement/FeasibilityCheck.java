package dev.berth.scheduler.placement;

import dev.berth.model.Resources;

/**
 * One reason an instance cannot take a task. Checks run in this order and the first that
 * fails names the rejection; the reason strings are ECS's {@code failures[].reason}.
 */
public enum FeasibilityCheck {
    /** The task's cluster and the instance's cluster differ: never reported as an ECS failure. */
    CLUSTER("CLUSTER") {
        @Override
        boolean admits(Candidate candidate, String cluster, Resources demand) {
            return cluster.equals(candidate.cluster());
        }
    },
    AGENT("AGENT") {
        @Override
        boolean admits(Candidate candidate, String cluster, Resources demand) {
            return candidate.agentConnected();
        }
    },
    CPU("RESOURCE:CPU") {
        @Override
        boolean admits(Candidate candidate, String cluster, Resources demand) {
            return demand.cpu() <= candidate.remaining().cpu();
        }
    },
    MEMORY("RESOURCE:MEMORY") {
        @Override
        boolean admits(Candidate candidate, String cluster, Resources demand) {
            return demand.memory() <= candidate.remaining().memory();
        }
    },
    PORTS("RESOURCE:PORTS") {
        @Override
        boolean admits(Candidate candidate, String cluster, Resources demand) {
            for (Integer port : demand.ports()) {
                if (candidate.remaining().ports().contains(port)) {
                    return false;
                }
            }
            return true;
        }
    };

    private final String reason;

    FeasibilityCheck(String reason) {
        this.reason = reason;
    }

    /** The ECS failure reason, e.g. {@code RESOURCE:MEMORY}. */
    public String reason() {
        return reason;
    }

    abstract boolean admits(Candidate candidate, String cluster, Resources demand);

    /** The first check the candidate fails, or null when the task fits. */
    public static FeasibilityCheck firstFailed(Candidate candidate, String cluster, Resources demand) {
        for (FeasibilityCheck check : values()) {
            if (!check.admits(candidate, cluster, demand)) {
                return check;
            }
        }
        return null;
    }
}
