package dev.berth.agent.runtime.docker;

import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeError;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The container creates and starts that the agent asks of the engine at the same time. A
 * burst of tasks asks for all of them at once, and an engine makes containers fastest a few at
 * a time: each create copies the image's layers and each start sets up a network namespace
 * and a runc process, and these contend with one another, so many at once only make each one
 * slower. Calls beyond the bound wait here, in the order they came, before their deadline
 * starts. Only creates and starts take a slot: a stop, an inspect or a remove never waits
 * behind them, and an image pull happens outside the slot.
 */
final class EngineSlots {

    /** A slot taken; closing it gives it back, once however often it is closed. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    private static final Slot NOTHING_HELD = () -> { };

    /** Null when unbounded. */
    private final Semaphore permits;

    private EngineSlots(Semaphore permits) {
        this.permits = permits;
    }

    /** At most {@code parallelism} creates and starts at once. */
    static EngineSlots of(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("the container start parallelism must be at least 1: " + parallelism);
        }
        return new EngineSlots(new Semaphore(parallelism, true));
    }

    /** No bound: every call goes to the engine at once. */
    static EngineSlots unbounded() {
        return new EngineSlots(null);
    }

    /**
     * Waits for a slot.
     *
     * @throws ContainerRuntimeException inconclusive, when the agent stops (interrupts) during the
     *                                   wait: nothing was asked of the engine
     */
    Slot take(RuntimeError error, String what) throws ContainerRuntimeException {
        if (permits == null) {
            return NOTHING_HELD;
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ContainerRuntimeException.inconclusive(error, what + ": not sent, the agent is stopping", e);
        }
        AtomicBoolean given = new AtomicBoolean();
        return () -> {
            if (given.compareAndSet(false, true)) {
                permits.release();
            }
        };
    }

    /** Slots free now; for tests and metrics. */
    int available() {
        return permits == null ? Integer.MAX_VALUE : permits.availablePermits();
    }
}
