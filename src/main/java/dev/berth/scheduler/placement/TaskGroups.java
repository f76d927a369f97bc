package dev.berth.scheduler.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives candidates the groups of the tasks on them, for distinctInstance, spread and
 * {@code task:group}: a caller whose state keeps no per-instance group index counts the
 * cluster's tasks (those not desired STOPPED) here, and only when the request reads them.
 */
public final class TaskGroups {

    private final Map<String, Map<String, Integer>> byInstance = new HashMap<>();

    /** Counts one task of {@code group} on {@code instanceId}. */
    public void add(String instanceId, String group) {
        if (instanceId != null && group != null) {
            byInstance.computeIfAbsent(instanceId, id -> new HashMap<>()).merge(group, 1, Integer::sum);
        }
    }

    /** The candidates with the groups counted, keeping their running counts. */
    public List<Candidate> applyTo(List<Candidate> candidates) {
        List<Candidate> result = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            Map<String, Integer> groups = byInstance.get(candidate.instanceId());
            result.add(groups == null ? candidate : candidate.withTasks(candidate.runningTasksCount(), groups));
        }
        return result;
    }

    /** Whether the request reads task groups: distinctInstance, spread, or an expression on tasks. */
    public static boolean areRead(PlacementRequest request) {
        return request.strategies().stream().anyMatch(Strategy.Spread.class::isInstance)
                || request.constraints().stream().anyMatch(c -> c instanceof Constraint.DistinctInstance
                        || c instanceof Constraint.MemberOf m && m.query().readsTasks());
    }
}
