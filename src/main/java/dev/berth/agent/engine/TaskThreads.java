package dev.berth.agent.engine;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads task workers act on: every task that has work gets a thread of its own at once,
 * up to {@code limit} threads, so one task's ten-minute pull or slow stop never delays another
 * task's stop. Threads that have been idle for {@link #IDLE} end, so an idle host holds none.
 *
 * <p>Bounded twice. Beyond {@code limit} busy threads a wake-up waits in a queue of
 * {@code queueBound} until a thread is free (a task is queued at most once: a worker wakes
 * itself only when it is not already scheduled). At that bound {@link #execute} refuses with
 * {@link RejectedExecutionException}; the worker stays unscheduled and the next resync (or
 * event) wakes it again.
 */
public final class TaskThreads implements Executor, AutoCloseable {

    /** How long an idle thread is kept for the next wake-up before it ends. */
    static final Duration IDLE = Duration.ofSeconds(30);
    /** Wake-ups that may wait for a thread: more tasks than a host runs, each queued at most once. */
    public static final int DEFAULT_QUEUE_BOUND = 4096;

    private final ThreadPoolExecutor pool;

    public TaskThreads(int limit) {
        this(limit, DEFAULT_QUEUE_BOUND);
    }

    public TaskThreads(int limit, int queueBound) {
        if (limit < 1 || queueBound < 1) {
            throw new IllegalArgumentException("the task thread limit and queue bound must be at least 1: " + limit
                    + ", " + queueBound);
        }
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limit, limit, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueBound), r -> {
                    Thread thread = new Thread(r, "berth-agent-task-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                (r, executor) -> {
                    throw new RejectedExecutionException(executor.isShutdown() ? "the agent is stopping"
                            : "all " + limit + " task threads are busy and " + queueBound + " tasks wait for one");
                });
        // Core threads end when idle too: a thread per active task, none for an idle host.
        this.pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable work) {
        pool.execute(work);
    }

    /** Threads acting now. */
    public int active() {
        return pool.getActiveCount();
    }

    /**
     * Refuses new work, lets what acts finish for up to {@code grace}, then interrupts it.
     *
     * @return whether everything finished within the grace
     */
    public boolean shutdown(Duration grace) {
        pool.shutdown();
        try {
            if (pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        return false;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
