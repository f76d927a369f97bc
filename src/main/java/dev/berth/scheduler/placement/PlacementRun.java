package dev.berth.scheduler.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One placement over one snapshot: every check runs once per instance, the instances that
 * fit go into one heap per {@link Ranking} cell, and each copy takes the best cell head. Only
 * the instance a copy went to is checked and ranked again, so a call costs
 * O(n + count × (cells + log n)). A run may be continued with {@link #place(int)}: the copies
 * placed by later calls count those placed before, exactly as if one request had asked for
 * all of them, so calls of the same shape share the O(n) part. A {@code random} strategy draws among the ties of the ones
 * before it, walking only those; when it comes first, every slot that fits ties, and a
 * {@link FeasibleSet} draws among them in O(log n) instead.
 */
public final class PlacementRun {

    private final PlacementRequest request;
    private final RandomGenerator random;
    private final List<Slot> slots = new ArrayList<>();
    private final Feasibility feasibility;
    private final Ranking ranking;
    private final SlotHeap[] heaps;
    /** Set only when random comes first: then it replaces the heaps. */
    private final FeasibleSet uniform;

    PlacementRun(ClusterSnapshot snapshot, PlacementRequest request, RandomGenerator random) {
        this.request = request;
        this.random = random;
        this.feasibility = new Feasibility(request);
        for (Candidate candidate : snapshot.candidates()) {
            Slot slot = new Slot(slots.size(), candidate, request.group());
            feasibility.evaluate(slot);
            slots.add(slot);
        }
        this.ranking = new Ranking(request.strategies(), slots);
        this.uniform = ranking.isUniform() ? feasibleSet() : null;
        this.heaps = uniform == null ? heaps() : new SlotHeap[0];
    }

    private FeasibleSet feasibleSet() {
        boolean[] fits = new boolean[slots.size()];
        for (Slot slot : slots) {
            fits[slot.index] = slot.fits();
        }
        return new FeasibleSet(fits);
    }

    private SlotHeap[] heaps() {
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < ranking.cells(); c++) {
            members.add(new ArrayList<>());
        }
        for (Slot slot : slots) {
            if (slot.fits()) {
                members.get(ranking.cellOf(slot.index)).add(slot.index);
            }
        }
        int[] positions = new int[slots.size()];
        Arrays.fill(positions, -1);
        SlotHeap[] result = new SlotHeap[members.size()];
        for (int c = 0; c < result.length; c++) {
            result[c] = new SlotHeap(members.get(c), positions, this::compareWithinCell);
        }
        return result;
    }

    PlacementResult run() {
        return place(request.count());
    }

    /**
     * Places {@code copies} more copies of the request's task, counting every copy this run
     * placed before. When a copy fits nowhere, the result says why each instance refused it,
     * and no later copy is placed (by this call or any later one: they would not fit either).
     */
    public PlacementResult place(int copies) {
        // A service's desired count can be far more than its cluster holds: size for what fits.
        List<String> placements = new ArrayList<>(Math.min(copies, slots.size()));
        for (int copy = 0; copy < copies; copy++) {
            int chosen = choose();
            if (chosen < 0) {
                return new PlacementResult(placements, copies - copy, rejections());
            }
            place(slots.get(chosen));
            placements.add(slots.get(chosen).candidate.instanceId());
        }
        return new PlacementResult(placements, 0, List.of());
    }

    /** The slot the next copy goes to, or -1 when no instance can take it. */
    private int choose() {
        if (uniform != null) {
            return uniform.size() == 0 ? -1 : uniform.select(random.nextInt(uniform.size()));
        }
        int best = -1;
        for (SlotHeap heap : heaps) {
            if (!heap.isEmpty() && (best < 0 || compare(heap.peek(), best) < 0)) {
                best = heap.peek();
            }
        }
        if (best < 0 || !ranking.endsInRandom()) {
            return best;
        }
        List<Integer> ties = ties(best);
        return ties.get(random.nextInt(ties.size()));
    }

    /** Every slot that ties {@code best} on the ranking strategies, in instance id order. */
    private List<Integer> ties(int best) {
        List<Integer> ties = new ArrayList<>();
        Deque<Integer> positions = new ArrayDeque<>();
        for (SlotHeap heap : heaps) {
            if (heap.isEmpty() || ranking.compare(slots.get(heap.peek()), slots.get(best)) != 0) {
                continue;
            }
            // Whatever ties the root sits in a subtree that holds the root: walk only that.
            Slot head = slots.get(heap.peek());
            positions.push(0);
            while (!positions.isEmpty()) {
                int at = positions.pop();
                if (at < heap.size() && ranking.compareWithinCell(slots.get(heap.at(at)), head) == 0) {
                    ties.add(heap.at(at));
                    positions.push(2 * at + 1);
                    positions.push(2 * at + 2);
                }
            }
        }
        Collections.sort(ties);
        return ties;
    }

    private void place(Slot slot) {
        slot.take(request.demand());
        ranking.placed(slot);
        feasibility.reevaluate(slot);
        if (uniform != null) {
            if (!slot.fits()) {
                uniform.remove(slot.index);
            }
            return;
        }
        SlotHeap heap = heaps[ranking.cellOf(slot.index)];
        if (slot.fits()) {
            heap.update(slot.index);
        } else {
            heap.remove(slot.index);
        }
    }

    private List<Rejection> rejections() {
        List<Rejection> rejections = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            rejections.add(new Rejection(slot.candidate.instanceId(), slot.failedChecks()));
        }
        return rejections;
    }

    private int compare(int a, int b) {
        int order = ranking.compare(slots.get(a), slots.get(b));
        return order != 0 ? order : Integer.compare(a, b);
    }

    private int compareWithinCell(int a, int b) {
        int order = ranking.compareWithinCell(slots.get(a), slots.get(b));
        return order != 0 ? order : Integer.compare(a, b);
    }
}
