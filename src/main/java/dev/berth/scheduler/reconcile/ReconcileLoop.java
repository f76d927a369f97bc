package dev.berth.scheduler.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Runs the reconciliation periodically, with jitter, once the state is rebuilt, and sooner
 * when {@link #wake()} says something changed (a service, or one of its tasks): edge-woken,
 * level-triggered. Wakes that arrive together run one pass. A missed round only costs
 * latency: the next one sees the whole state again. Rounds never overlap (one thread).
 */
public final class ReconcileLoop implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(ReconcileLoop.class);
    /** Up to this fraction of the interval is added at random, so replicas do not act in step. */
    private static final double JITTER = 0.2;

    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final Random random;
    private final BooleanSupplier ready;
    private final Runnable round;
    private final Runnable wokenRound;
    private final java.util.concurrent.atomic.AtomicBoolean wakePending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Clock clock = Clock.systemUTC();
    private volatile Instant lastTick;
    /** How long the last woken round took, and when it ended ({@link System#nanoTime()}). */
    private volatile long lastWokenRoundNanos;
    private volatile long lastWokenRoundEnd = System.nanoTime();

    /** How long a wake waits for more wakes to join it: events of one change arrive together. */
    static final Duration WAKE_GATHER = Duration.ofMillis(50);

    public ReconcileLoop(Duration interval, Random random, BooleanSupplier ready, Runnable round) {
        this(interval, random, ready, round, () -> { });
    }

    /**
     * @param round      the full round, run every interval
     * @param wokenRound what a {@link #wake()} runs: the part that events make urgent
     */
    public ReconcileLoop(Duration interval, Random random, BooleanSupplier ready, Runnable round,
            Runnable wokenRound) {
        this.interval = interval;
        this.random = random;
        this.ready = ready;
        this.round = round;
        this.wokenRound = wokenRound;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "berth-scheduler-reconcile");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        scheduleNext();
    }

    private void scheduleNext() {
        long base = interval.toMillis();
        long delay = base + (long) (base * JITTER * random.nextDouble());
        try {
            timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOGGER.debug("Reconcile loop closed");
        }
    }

    /**
     * Runs the woken round soon, once for all the wakes that arrive meanwhile. Returns at once.
     * Soon is {@link #WAKE_GATHER}, or, after a woken round that took longer, that round's
     * duration after its end: under a storm of events (5,000 daemon tasks reporting RUNNING)
     * the rounds then take at most about half of a core, and leave the rest to reading the
     * events that the rounds wait for.
     */
    public void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                timer.schedule(this::wokenTick, wakeDelayNanos(WAKE_GATHER.toNanos(), lastWokenRoundNanos,
                        System.nanoTime() - lastWokenRoundEnd), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakePending.set(false);
            }
        }
    }

    /**
     * How long a wake waits: the gather time, or what is left of a rest as long as the last
     * woken round, counted from its end.
     */
    static long wakeDelayNanos(long gather, long lastRound, long sinceLastRoundEnded) {
        return Math.max(gather, lastRound - sinceLastRoundEnded);
    }

    private void wokenTick() {
        wakePending.set(false);
        long start = System.nanoTime();
        try {
            if (ready.getAsBoolean()) {
                wokenRound.run();
            }
        } catch (RuntimeException e) {
            LOGGER.warnf("A woken reconciliation round failed, the next one retries: %s", e.getMessage());
        } finally {
            lastWokenRoundEnd = System.nanoTime();
            lastWokenRoundNanos = lastWokenRoundEnd - start;
        }
    }

    /** When the loop last turned, ready or not; empty before the first turn. */
    public Optional<Instant> lastTick() {
        return Optional.ofNullable(lastTick);
    }

    /** The longest a healthy loop waits between two turns: the interval plus the largest jitter. */
    public static Duration longestWait(Duration interval) {
        return interval.plusMillis((long) (interval.toMillis() * JITTER));
    }

    private void tick() {
        lastTick = clock.instant();
        try {
            if (ready.getAsBoolean()) {
                round.run();
            }
        } catch (RuntimeException e) {
            LOGGER.warnf("Task reconciliation round failed, the next one retries: %s", e.getMessage());
        } finally {
            scheduleNext();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
