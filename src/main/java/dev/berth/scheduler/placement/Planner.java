package dev.berth.scheduler.placement;

import java.util.random.RandomGenerator;

/**
 * The placement entry point (DESIGN.md §5): a {@link ClusterSnapshot} and a
 * {@link PlacementRequest} in, a {@link PlacementResult} out. Pure but for the injected random
 * source, which only a {@code random} strategy draws from (one draw per copy).
 */
public final class Planner {

    private final RandomGenerator random;

    public Planner(RandomGenerator random) {
        this.random = random;
    }

    /**
     * Places the request's copies one after the other, each on the best instance that passes
     * every check, counting the copies placed before it in this call. When a copy fits nowhere,
     * the result says why each instance refused it, and no later copy is placed.
     */
    public PlacementResult place(ClusterSnapshot snapshot, PlacementRequest request) {
        return new PlacementRun(snapshot, request, random).run();
    }

    /**
     * Opens a run that places copies of {@code request}'s task on demand ({@link
     * PlacementRun#place(int)}); its own count is not used. Calls that ask for the same
     * task, group, constraints and strategies continue one run instead of each checking
     * every instance again.
     */
    public PlacementRun open(ClusterSnapshot snapshot, PlacementRequest request) {
        return new PlacementRun(snapshot, request, random);
    }

    /** Checks one named instance (StartTask): every check it fails, or null when the task fits. */
    public static Rejection check(PlacementRequest request, Candidate candidate) {
        Slot slot = new Slot(0, candidate, request.group());
        new Feasibility(request).evaluate(slot);
        return slot.fits() ? null : new Rejection(candidate.instanceId(), slot.failedChecks());
    }
}
