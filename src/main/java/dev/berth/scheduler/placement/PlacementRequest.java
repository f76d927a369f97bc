package dev.berth.scheduler.placement;

import java.util.List;

/**
 * What to place: {@code count} copies of a task that needs {@code demand}, in {@code cluster},
 * as members of {@code group} (ECS's task group: {@code service:<name>} for a service's tasks,
 * {@code family:<family>} by default for RunTask). The group is what {@code distinctInstance}
 * keeps apart and what {@code spread} counts, from the candidates' task groups plus the copies
 * this request places.
 */
public record PlacementRequest(String cluster, Demand demand, int count, String group,
        List<Constraint> constraints, List<Strategy> strategies) {

    public PlacementRequest {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        strategies = strategies == null ? List.of() : List.copyOf(strategies);
    }

    /** Binpack on memory without constraints: what Berth placed before strategies could be chosen. */
    public static PlacementRequest binpackMemory(String cluster, Demand demand, int count) {
        return new PlacementRequest(cluster, demand, count, null, List.of(),
                List.of(new Strategy.Binpack(Strategy.Resource.MEMORY)));
    }
}
