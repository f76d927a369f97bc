package dev.berth.agent.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * When the orphan sweep may act on a container that no task claims.
 *
 * @param grace how long the engine must have acted on the whole desired state, and a container
 *              must have been seen unclaimed, before the sweep stops or removes it
 * @param gate  asked before every sweep; a refusal (e.g. "the Kafka cluster id changed") leaves
 *              every container alone
 */
public record SweepPolicy(Duration grace, Gate gate) {

    /** Says why no container may be swept now, or nothing when the sweep may act. */
    @FunctionalInterface
    public interface Gate {
        Optional<String> refusal();
    }

    /** No grace and no gate: for tests of the engine's own logic. */
    public static final SweepPolicy IMMEDIATE = new SweepPolicy(Duration.ZERO, Optional::empty);
}
