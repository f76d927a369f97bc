package dev.berth.scheduler.placement;

import java.util.List;

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
}
