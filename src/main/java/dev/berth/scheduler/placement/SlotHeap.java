package dev.berth.scheduler.placement;

import java.util.List;

/**
 * A binary min-heap of slot indexes, built in O(n) and updated in O(log n) when one slot's
 * rank changes. The heaps of one call share {@code positions}, since a slot sits in one heap.
 */
final class SlotHeap {

    /** Orders two slot indexes; a total order (ties end on the index). */
    interface Order {
        int compare(int a, int b);
    }

    private final int[] heap;
    private final int[] positions;
    private final Order order;
    private int size;

    SlotHeap(List<Integer> members, int[] positions, Order order) {
        this.heap = new int[members.size()];
        this.positions = positions;
        this.order = order;
        for (int slot : members) {
            heap[size] = slot;
            positions[slot] = size++;
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peek() {
        return heap[0];
    }

    /** The slot at heap position {@code i}, for walking the heap's top. */
    int at(int i) {
        return heap[i];
    }

    int size() {
        return size;
    }

    /** Restores the order after the rank of {@code slot} changed. */
    void update(int slot) {
        int i = positions[slot];
        siftUp(i);
        siftDown(positions[slot]);
    }

    void remove(int slot) {
        int i = positions[slot];
        positions[slot] = -1;
        size--;
        if (i == size) {
            return;
        }
        int moved = heap[size];
        heap[i] = moved;
        positions[moved] = i;
        siftUp(i);
        siftDown(positions[moved]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (order.compare(heap[i], heap[parent]) >= 0) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int right = left + 1;
            int child = right < size && order.compare(heap[right], heap[left]) < 0 ? right : left;
            if (order.compare(heap[child], heap[i]) >= 0) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int i, int j) {
        int a = heap[i];
        heap[i] = heap[j];
        heap[j] = a;
        positions[heap[i]] = i;
        positions[heap[j]] = j;
    }
}
