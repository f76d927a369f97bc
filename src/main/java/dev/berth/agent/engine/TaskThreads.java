package dev.berth.agent.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads task workers act on: every task that has work gets a thread of its own at once,
 * up to {@code limit} threads, so one task's ten-minute pull or slow stop never delays another
 * task's stop. Threads that have been idle for {@link #IDLE} end, so an idle host holds none.
 * A wake-up goes to an idle thread when there is one, and a new thread starts only when all
 * are busy: tasks placed one after the other share one thread instead of each leaving one
 * behind (a thread's stack and its buffers are resident until it ends). Of the idle threads,
 * the one idle for the shortest time takes the wake-up, so that the periodic resync's stream
 * of short wake-ups keeps one or two threads busy and lets the others end; handed out in turn,
 * they would each be used once a resync and the threads a burst of tasks started would never
 * end.
 *
 * <p>Bounded twice. Beyond {@code limit} busy threads a wake-up waits in a queue of
 * {@code queueBound} until a thread is free (a task is queued at most once: a worker wakes
 * itself only when it is not already scheduled). At that bound {@link #execute} refuses with
 * {@link RejectedExecutionException}; the worker stays unscheduled and the next resync (or
 * event) wakes it again.
 */
public final class TaskThreads implements Executor, AutoCloseable {

    /**
     * How long an idle thread is kept for the next wake-up before it ends: long enough to carry
     * a task from one step to its next, and a busy resync's wake-ups from task to task, short
     * enough that a burst's threads (about 100 KiB resident each) end within seconds of it.
     * Starting a thread again costs far less than the Docker call it makes.
     */
    static final Duration IDLE = Duration.ofSeconds(3);
    /** Wake-ups that may wait for a thread: more tasks than a host runs, each queued at most once. */
    public static final int DEFAULT_QUEUE_BOUND = 4096;

    private final ThreadPoolExecutor pool;
    private final TaskHandOff queue;

    public TaskThreads(int limit) {
        this(limit, DEFAULT_QUEUE_BOUND);
    }

    public TaskThreads(int limit, int queueBound) {
        this(limit, queueBound, IDLE);
    }

    TaskThreads(int limit, int queueBound, Duration idle) {
        if (limit < 1 || queueBound < 1) {
            throw new IllegalArgumentException("the task thread limit and queue bound must be at least 1: " + limit
                    + ", " + queueBound);
        }
        AtomicInteger count = new AtomicInteger();
        TaskHandOff queue = new TaskHandOff(queueBound);
        this.queue = queue;
        // No core threads: the pool hands a wake-up to an idle thread, else starts one up to the
        // limit, else queues it (the rejection handler below), so threads are reused first.
        this.pool = new ThreadPoolExecutor(0, limit, idle.toMillis(), TimeUnit.MILLISECONDS, queue, r -> {
            Thread thread = new Thread(r, "berth-agent-task-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, (r, executor) -> {
            if (executor.isShutdown() || !queue.waitForThread(r)) {
                throw new RejectedExecutionException(executor.isShutdown() ? "the agent is stopping"
                        : "all " + limit + " task threads are busy and " + queueBound + " tasks wait for one");
            }
        });
    }

    @Override
    public void execute(Runnable work) {
        pool.execute(work);
    }

    /** Threads that exist now, acting or idle. */
    int threads() {
        return pool.getPoolSize();
    }

    /** Whether a thread waits for work, so the next wake-up goes to it rather than to a new thread. */
    boolean hasIdleThread() {
        return queue.hasIdleThread();
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
