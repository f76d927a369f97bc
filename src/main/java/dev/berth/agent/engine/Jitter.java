package dev.berth.agent.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Spreads periodic work: each period is the base plus a random 0-20%, so that many agents
 * started together do not resync Docker (or heartbeat Kafka) in step.
 */
public final class Jitter {

    /** The largest share of the base period added at random. */
    public static final double MAX_FRACTION = 0.2;

    private final Duration base;
    private final RandomGenerator random;

    public Jitter(Duration base, RandomGenerator random) {
        this.base = base;
        this.random = random;
    }

    public Duration next() {
        long extra = (long) (base.toMillis() * MAX_FRACTION * random.nextDouble());
        return base.plusMillis(extra);
    }
}
