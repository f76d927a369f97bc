package dev.berth.scheduler.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The container instances of a cluster as placement sees them at one moment, sorted by
 * instance id (the order ties are broken in and rejections are reported in). Immutable, so
 * one snapshot serves any number of placements and threads.
 */
public final class ClusterSnapshot {

    private final List<Candidate> candidates;

    private ClusterSnapshot(List<Candidate> sorted) {
        this.candidates = sorted;
    }

    public static ClusterSnapshot of(Collection<Candidate> candidates) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(Candidate::instanceId));
        return new ClusterSnapshot(List.copyOf(sorted));
    }

    /** The candidates in instance id order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    public int size() {
        return candidates.size();
    }
}
