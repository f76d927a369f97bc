package dev.berth.model;

/** An ECS placement strategy: {@code binpack} (cpu | memory), {@code spread} (a field) or {@code random}. */
public record PlacementStrategy(String type, String field) {
}
