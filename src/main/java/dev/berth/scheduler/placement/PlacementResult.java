package dev.berth.scheduler.placement;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of placing {@code count} copies of a task: the instance of each copy that
 * fits, in order, and, when some did not fit, why each instance refused (the rejections of
 * the first copy that could not be placed).
 */
public record PlacementResult(List<String> placements, int unplaced, List<Rejection> rejections) {

    public PlacementResult {
        placements = List.copyOf(placements);
        rejections = List.copyOf(rejections);
    }

    public boolean isComplete() {
        return unplaced == 0;
    }

    /**
     * How many instances refused for each reason, Nomad style: {@code "3 instances: 2
     * RESOURCE:MEMORY, 1 AGENT"}. An instance refused for several reasons counts under each; an
     * instance of another cluster counts nowhere.
     */
    public String explanation() {
        List<Rejection> reported = rejections.stream().filter(Rejection::isReported).toList();
        Map<FeasibilityCheck, Long> counts = new EnumMap<>(FeasibilityCheck.class);
        reported.forEach(r -> r.checks().forEach(c -> counts.merge(c, 1L, Long::sum)));
        return reported.size() + (reported.size() == 1 ? " instance: " : " instances: ") + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().reason()).collect(Collectors.joining(", "));
    }

    /** The instance that failed the fewest checks (ties by instance id): ECS's "closest matching". */
    public Optional<Rejection> closest() {
        return rejections.stream().filter(Rejection::isReported)
                .min(Comparator.comparingInt((Rejection r) -> r.checks().size()).thenComparing(Rejection::instanceId));
    }
}
