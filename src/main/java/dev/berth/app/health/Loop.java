package dev.berth.app.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One control loop as liveness sees it: its name (the value in the check's data), how often
 * it turns when healthy, and when it last turned (empty while it has not started, e.g. while
 * the role is still reaching Kafka or Docker).
 */
public record Loop(String name, Duration period, Supplier<Optional<Instant>> lastTick) {
}
