package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import java.util.List;
import java.util.Random;

/**
 * Placement as Berth's task paths call it, over a list of candidates: a request with its
 * constraints and strategies, or binpack on memory, the shape older callers use. A thin
 * shape over {@link Planner}; the random source (used by the random strategy only) is
 * java.util.Random, thread-safe, seeded per process.
 */
public final class PlacementStack {

    private final Planner planner;

    private PlacementStack(Planner planner) {
        this.planner = planner;
    }

    public static PlacementStack binpack() {
        return new PlacementStack(new Planner(new Random()));
    }

    /** Places a request with its constraints and strategies. */
    public PlacementResult place(List<Candidate> candidates, PlacementRequest request) {
        return planner.place(ClusterSnapshot.of(candidates), request);
    }

    /** Opens a run over the candidates that later calls of the same shape continue (see {@link Planner#open}). */
    public PlacementRun open(List<Candidate> candidates, PlacementRequest request) {
        return planner.open(ClusterSnapshot.of(candidates), request);
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
