package dev.berth.app.health;

import java.time.Duration;

/** How liveness judges a {@link dev.berth.protocol.TopicReader}'s loop. */
final class Readers {

    /**
     * A healthy poll turns every half second, but one attempt to reach Kafka may block in the
     * consumer's metadata and offset calls for up to its API timeout (60s by default). With
     * {@link LoopLiveness#TOLERANCE} periods the reader counts as stuck after three minutes.
     */
    static final Duration PERIOD = Duration.ofMinutes(1);

    private Readers() {
    }
}
