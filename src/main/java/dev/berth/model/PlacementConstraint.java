package dev.berth.model;

/** {@code distinctInstance} or {@code memberOf} with a cluster query expression. */
public record PlacementConstraint(String type, String expression) {
}
