package dev.berth.scheduler.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategies of one request as a lexicographic rank of slots, lowest first: binpack ranks
 * by what is left of its resource, spread by the group's tasks on the instance or on every
 * instance with the same attribute value. Only the strategies before the first {@code random}
 * rank; the random one picks among what ties on them.
 *
 * <p>A spread over an attribute ranks an instance by a count it shares with every instance of
 * the same value, so placing a copy changes the rank of them all. Slots are therefore grouped
 * into cells, one per combination of those attribute values: inside a cell the shared counts
 * are equal, and the cell's order depends on each slot's own values only.
 */
final class Ranking {

    private enum Kind { CPU, MEMORY, SPREAD_INSTANCE, SPREAD_ATTRIBUTE }

    private record Component(Kind kind, int shared) {
    }

    private final List<Component> components = new ArrayList<>();
    private final boolean random;
    /** Per attribute spread, the value id of each slot, and the group's tasks per value id. */
    private final int[][] valueOf;
    private final int[][] counts;
    private final int[] cellOf;
    private final int cells;

    Ranking(List<Strategy> strategies, List<Slot> slots) {
        List<String> attributes = new ArrayList<>();
        boolean sawRandom = false;
        for (Strategy strategy : strategies) {
            if (sawRandom) {
                break;
            }
            if (strategy instanceof Strategy.Random) {
                sawRandom = true;
            } else if (strategy instanceof Strategy.Binpack binpack) {
                components.add(new Component(binpack.resource() == Strategy.Resource.CPU ? Kind.CPU : Kind.MEMORY, -1));
            } else if (strategy instanceof Strategy.Spread spread && spread.perInstance()) {
                components.add(new Component(Kind.SPREAD_INSTANCE, -1));
            } else if (strategy instanceof Strategy.Spread spread) {
                components.add(new Component(Kind.SPREAD_ATTRIBUTE, attributes.size()));
                attributes.add(spread.attribute());
            }
        }
        this.random = sawRandom;
        this.valueOf = new int[attributes.size()][slots.size()];
        this.counts = new int[attributes.size()][];
        for (int a = 0; a < attributes.size(); a++) {
            counts[a] = countValues(attributes.get(a), slots, valueOf[a]);
        }
        this.cellOf = new int[slots.size()];
        this.cells = assignCells(slots.size());
    }

    private static int[] countValues(String attribute, List<Slot> slots, int[] valueOfSlot) {
        Map<String, Integer> ids = new HashMap<>();
        List<Integer> perValue = new ArrayList<>();
        for (Slot slot : slots) {
            String value = slot.candidate.attribute(attribute);
            int id = ids.computeIfAbsent(value == null ? "\0absent" : value, v -> {
                perValue.add(0);
                return perValue.size() - 1;
            });
            valueOfSlot[slot.index] = id;
            perValue.set(id, perValue.get(id) + slot.groupTasks());
        }
        return perValue.stream().mapToInt(Integer::intValue).toArray();
    }

    private int assignCells(int slots) {
        if (valueOf.length == 0) {
            return 1;
        }
        if (valueOf.length == 1) {
            System.arraycopy(valueOf[0], 0, cellOf, 0, slots);
            return counts[0].length;
        }
        Map<List<Integer>, Integer> ids = new HashMap<>();
        for (int slot = 0; slot < slots; slot++) {
            List<Integer> key = new ArrayList<>(valueOf.length);
            for (int[] values : valueOf) {
                key.add(values[slot]);
            }
            cellOf[slot] = ids.computeIfAbsent(key, k -> ids.size());
        }
        return Math.max(ids.size(), 1);
    }

    boolean endsInRandom() {
        return random;
    }

    /** Whether random comes first, so that every slot that fits ties. */
    boolean isUniform() {
        return random && components.isEmpty();
    }

    int cells() {
        return cells;
    }

    int cellOf(int slot) {
        return cellOf[slot];
    }

    /** Counts a copy placed on {@code slot} in the shared counts of its attribute values. */
    void placed(Slot slot) {
        for (int a = 0; a < valueOf.length; a++) {
            counts[a][valueOf[a][slot.index]]++;
        }
    }

    /** Full rank, shared counts included; 0 when the slots tie on every ranking strategy. */
    int compare(Slot a, Slot b) {
        for (Component component : components) {
            int order = Long.compare(value(component, a), value(component, b));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /** Rank on each slot's own values only: the order inside one cell. */
    int compareWithinCell(Slot a, Slot b) {
        for (Component component : components) {
            if (component.kind != Kind.SPREAD_ATTRIBUTE) {
                int order = Long.compare(value(component, a), value(component, b));
                if (order != 0) {
                    return order;
                }
            }
        }
        return 0;
    }

    private long value(Component component, Slot slot) {
        return switch (component.kind) {
            case CPU -> slot.cpu;
            case MEMORY -> slot.memory;
            case SPREAD_INSTANCE -> slot.groupTasks();
            case SPREAD_ATTRIBUTE -> counts[component.shared][valueOf[component.shared][slot.index]];
        };
    }
}
