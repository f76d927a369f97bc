package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places tasks on container instances, Nomad style: every instance goes through the
 * {@link FeasibilityCheck}s, the survivors are ranked by a {@link Scorer}, ties broken by
 * instance id so that placement is deterministic. Placing several copies accounts for the
 * copies placed before them in the same call. Pure: no I/O, no clock.
 */
public final class PlacementStack {

    private static final Comparator<Candidate> BY_ID = Comparator.comparing(Candidate::instanceId);

    private final Scorer scorer;

    public PlacementStack(Scorer scorer) {
        this.scorer = scorer;
    }

    public static PlacementStack binpack() {
        return new PlacementStack(Scorer.BINPACK_MEMORY);
    }

    public PlacementResult place(String cluster, Resources demand, int count, List<Candidate> candidates) {
        Map<String, Candidate> current = new LinkedHashMap<>();
        candidates.stream().sorted(BY_ID).forEach(c -> current.put(c.instanceId(), c));
        List<String> placements = new ArrayList<>();
        for (int copy = 0; copy < count; copy++) {
            List<Rejection> rejections = new ArrayList<>();
            Candidate best = select(cluster, demand, current.values(), rejections);
            if (best == null) {
                return new PlacementResult(placements, count - copy, rejections);
            }
            placements.add(best.instanceId());
            current.put(best.instanceId(), best.take(demand));
        }
        return new PlacementResult(placements, 0, List.of());
    }

    /** Checks one named instance (StartTask): the rejection, or null when the task fits. */
    public static Rejection check(String cluster, Resources demand, Candidate candidate) {
        FeasibilityCheck failed = FeasibilityCheck.firstFailed(candidate, cluster, demand);
        return failed == null ? null : new Rejection(candidate.instanceId(), failed);
    }

    private Candidate select(String cluster, Resources demand, Iterable<Candidate> candidates,
            List<Rejection> rejections) {
        Candidate best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Candidate candidate : candidates) {
            Rejection rejection = check(cluster, demand, candidate);
            if (rejection != null) {
                rejections.add(rejection);
                continue;
            }
            double score = scorer.score(candidate, demand);
            if (best == null || score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }
}
