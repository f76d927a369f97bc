package dev.berth.protocol;

import java.time.Duration;

/** Exponential backoff with a ceiling, for reaching Kafka or Docker at start-up. */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The wait before the next attempt; each call doubles the following one, up to the ceiling. */
    public Duration nextDelay() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
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
