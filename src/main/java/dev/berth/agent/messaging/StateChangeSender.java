package dev.berth.agent.messaging;

import dev.berth.agent.engine.StateReporter;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.TaskStateChange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Sends task state changes to berth.task-events at least once and in order. Workers hand
 * changes over without blocking; one sender thread sends the oldest, waits for Kafka's
 * acknowledgement, and only then takes the next, retrying a failed send with backoff. One
 * change in flight at a time keeps every task's changes in order even across retries, so
 * the compacted topic always ends with a task's latest change.
 */
public final class StateChangeSender implements StateReporter, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(StateChangeSender.class);

    /** Sends one change; the future completes when Kafka has acknowledged it. */
    @FunctionalInterface
    public interface Transport {
        CompletableFuture<?> send(TaskStateChange change);
    }

    private final Transport transport;
    private final Duration ackTimeout;
    private final Supplier<Backoff> backoffs;
    private final Deque<TaskStateChange> pending = new ArrayDeque<>();
    private volatile boolean running = true;
    private Thread thread;

    public StateChangeSender(Transport transport, Duration ackTimeout, Supplier<Backoff> backoffs) {
        this.transport = transport;
        this.ackTimeout = ackTimeout;
        this.backoffs = backoffs;
    }

    public synchronized void start() {
        thread = new Thread(this::sendAll, "berth-agent-state-sender");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void report(TaskStateChange change) {
        pending.addLast(change);
        notifyAll();
    }

    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Waits until every change handed over so far is acknowledged, or {@code bound} has passed. */
    public synchronized boolean flush(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOGGER.warnf("%d task state changes were not acknowledged by Kafka before the agent stopped;"
                        + " the next start reports the tasks' state again", pending.size());
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void sendAll() {
        Backoff backoff = backoffs.get();
        while (running) {
            TaskStateChange next = nextPending();
            if (next == null) {
                continue;
            }
            try {
                transport.send(next).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
                acknowledged(next);
                backoff.reset();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOGGER.warnf("Task %s: Kafka did not acknowledge its %s state change (%s); retrying",
                        next.taskId(), next.lastStatus(), cause.getMessage());
                if (!backoff.pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized TaskStateChange nextPending() {
        if (pending.isEmpty()) {
            try {
                wait(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return null;
            }
        }
        return pending.peekFirst();
    }

    private synchronized void acknowledged(TaskStateChange change) {
        if (pending.peekFirst() == change) {
            pending.removeFirst();
        }
        notifyAll();
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
            notifyAll();
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
