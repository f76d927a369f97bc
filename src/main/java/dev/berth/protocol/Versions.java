package dev.berth.protocol;

import java.time.Clock;

/** Per-entity version numbers. */
public final class Versions {

    private Versions() {
    }

    /**
     * The next version of an entity whose writer may have restarted and lost its last
     * version: the wall clock in milliseconds, but always above {@code previous}. A writer
     * that remembers its last version (the scheduler, rebuilt from Kafka) may simply add one.
     */
    public static long next(long previous, Clock clock) {
        return Math.max(previous + 1, clock.millis());
    }

    /** Whether {@code incoming} supersedes {@code held}: an equal version is a repeat. */
    public static boolean isNewer(long incoming, Long held) {
        return held == null || incoming > held;
    }
}
