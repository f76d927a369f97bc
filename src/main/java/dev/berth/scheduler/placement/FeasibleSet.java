package dev.berth.scheduler.placement;

/**
 * The slots that fit, in instance id order, as a Fenwick tree of 0/1 counts: the k-th of them
 * is found, and one is removed, in O(log n). It serves a {@code random} strategy that comes
 * first, where every slot that fits ties and the draw is uniform over all of them.
 */
final class FeasibleSet {

    private final int[] tree;
    private final int highestBit;
    private int size;

    FeasibleSet(boolean[] fits) {
        int n = fits.length;
        this.tree = new int[n + 1];
        for (int i = 0; i < n; i++) {
            if (fits[i]) {
                tree[i + 1]++;
                size++;
            }
            // Linear build: each node hands its total to its parent.
            int parent = i + 1 + ((i + 1) & -(i + 1));
            if (parent <= n) {
                tree[parent] += tree[i + 1];
            }
        }
        this.highestBit = n == 0 ? 0 : Integer.highestOneBit(n);
    }

    int size() {
        return size;
    }

    void remove(int slot) {
        size--;
        for (int i = slot + 1; i < tree.length; i += i & -i) {
            tree[i]--;
        }
    }

    /** The slot index of the {@code k}-th (0-based) slot that fits. */
    int select(int k) {
        int position = 0;
        int rest = k + 1;
        for (int step = highestBit; step > 0; step >>= 1) {
            int next = position + step;
            if (next < tree.length && tree[next] < rest) {
                position = next;
                rest -= tree[next];
            }
        }
        return position;
    }
}
