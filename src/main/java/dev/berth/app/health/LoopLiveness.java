package dev.berth.app.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Liveness of one role: UP while each of its loops has turned within {@link #TOLERANCE}
 * periods, DOWN as soon as one has not, with each loop's state in the data. A loop that has
 * not started yet counts as alive: a role still waiting for Kafka or Docker is not stuck,
 * and restarting it would not help (readiness says it is not ready).
 */
public final class LoopLiveness implements HealthCheck {

    /** Periods a loop may miss before it counts as stuck: one slow turn is not a hang. */
    public static final int TOLERANCE = 3;

    private final String name;
    private final List<Loop> loops;
    private final Clock clock;
    private final java.util.function.Supplier<Optional<String>> startFailure;

    public LoopLiveness(String name, List<Loop> loops, Clock clock) {
        this(name, loops, clock, Optional::empty);
    }

    /**
     * @param startFailure why the role could not start, if it could not: it then never
     *                     starts its loops, which would otherwise count as alive for ever;
     *                     DOWN, so that a restart tries again
     */
    public LoopLiveness(String name, List<Loop> loops, Clock clock,
            java.util.function.Supplier<Optional<String>> startFailure) {
        this.name = name;
        this.loops = List.copyOf(loops);
        this.clock = clock;
        this.startFailure = startFailure;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        boolean alive = true;
        Optional<String> failed = startFailure.get();
        if (failed.isPresent()) {
            alive = false;
            data.put("start", "failed: " + failed.get());
        }
        for (Loop loop : loops) {
            Optional<Instant> tick = loop.lastTick().get();
            if (tick.isEmpty()) {
                data.put(loop.name(), "not started");
                continue;
            }
            Duration age = Duration.between(tick.get(), now);
            Duration limit = loop.period().multipliedBy(TOLERANCE);
            if (age.compareTo(limit) > 0) {
                alive = false;
                data.put(loop.name(), "stalled: last turned " + age.toSeconds() + "s ago, limit " + limit.toSeconds()
                        + "s");
            } else {
                data.put(loop.name(), "ticking: last turned " + Math.max(0, age.toMillis()) + "ms ago");
            }
        }
        return new HealthCheckResponse(name, alive ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                Optional.of(data));
    }
}
