package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Placement as Berth's task paths called it before constraints and strategies could be
 * chosen: binpack on memory, ties broken by instance id, over a list of candidates. A thin
 * shape over {@link Planner}, kept so that its callers change only when they pass constraints
 * and strategies.
 */
public final class PlacementStack {

    private final Planner planner;

    private PlacementStack(Planner planner) {
        this.planner = planner;
    }

    public static PlacementStack binpack() {
        // Binpack draws no random numbers; the seed only satisfies the planner's contract.
        return new PlacementStack(new Planner(new SplittableRandom(0)));
    }

    public PlacementResult place(String cluster, Resources demand, int count, List<Candidate> candidates) {
        return planner.place(ClusterSnapshot.of(candidates),
                PlacementRequest.binpackMemory(cluster, Demand.of(demand), count));
    }

    /** Checks one named instance (StartTask): the rejection, or null when the task fits. */
    public static Rejection check(String cluster, Resources demand, Candidate candidate) {
        return Planner.check(PlacementRequest.binpackMemory(cluster, Demand.of(demand), 1), candidate);
    }
}
