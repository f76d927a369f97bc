package dev.berth.agent.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads task workers act on: every task that has work gets a thread of its own at once,
 * so one task's ten-minute pull or slow stop never delays another task's stop. There is no
 * queue in front of the threads: a wake-up waits behind nobody.
 *
 * <p>Bounded: at most {@code limit} threads act at the same time. At the bound
 * {@link #execute} refuses with {@link RejectedExecutionException}; the worker then stays
 * unscheduled and the next resync (or event) wakes it again. Threads that have been idle
 * for {@link #IDLE} end, so an idle host holds none.
 */
public final class TaskThreads implements Executor, AutoCloseable {

    /** How long an idle thread is kept for the next wake-up before it ends. */
    static final Duration IDLE = Duration.ofSeconds(30);

    private final ThreadPoolExecutor pool;

    public TaskThreads(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the task thread limit must be at least 1: " + limit);
        }
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, limit, IDLE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread thread = new Thread(r, "berth-agent-task-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                (r, executor) -> {
                    throw new RejectedExecutionException(executor.isShutdown() ? "the agent is stopping"
                            : "all " + limit + " task threads are busy");
                });
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
