package dev.berth.protocol;

/**
 * Per-entity version numbers: small counters, as ECS's, each writer continuing from the last
 * version it wrote (read back from Kafka after a restart).
 */
public final class Versions {

    private Versions() {
    }

    /** Whether {@code incoming} supersedes {@code held}: an equal version is a repeat. */
    public static boolean isNewer(long incoming, Long held) {
        return held == null || incoming > held;
    }
}
