package dev.berth.protocol;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with a ceiling and jitter, for reaching Kafka or Docker again. Each wait
 * is drawn between half and all of the current step ("equal jitter"), so a thousand agents
 * that lost Kafka at the same moment do not all come back in the same millisecond, while none
 * waits less than half its step.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private final DoubleSupplier random;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this(first, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1): the jitter's source, seeded in tests */
    Backoff(Duration first, Duration max, DoubleSupplier random) {
        this.first = first;
        this.max = max;
        this.random = random;
        this.next = first;
    }

    /**
     * The wait before the next attempt: between half and all of the current step. Each call
     * doubles the step, up to the ceiling.
     */
    public Duration nextDelay() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        long nanos = current.toNanos();
        long half = nanos / 2;
        return Duration.ofNanos(half + (long) ((nanos - half) * random.getAsDouble()));
    }

    public void reset() {
        next = first;
    }

    /** Waits for the next delay; false when the thread was interrupted (stop trying). */
    public boolean pause() {
        try {
            Thread.sleep(nextDelay().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
