package dev.berth.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * How the benchmark waits. A condition is awaited with Awaitility, polled at a given
 * interval up to a patience; load pacing (a client's rate, a heartbeat tick, a phase that
 * lets the load run for a while) holds the calling thread for a set time, the one thing a
 * load generator must do.
 */
final class BenchWait {

    private BenchWait() {
    }

    /** Polls until the condition holds; false when the patience ran out first. */
    static boolean until(Duration patience, Duration poll, BooleanSupplier condition) {
        try {
            Awaitility.await().atMost(patience).pollDelay(Duration.ZERO).pollInterval(poll)
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Load pacing: holds this thread for {@code time}.
     *
     * @throws InterruptedException when the benchmark is being stopped
     */
    static void pace(Duration time) throws InterruptedException {
        long until = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("benchmark stopped");
            }
        }
    }
}
