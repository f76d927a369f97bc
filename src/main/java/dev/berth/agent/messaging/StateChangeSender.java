package dev.berth.agent.messaging;

import dev.berth.agent.engine.StateReporter;
import dev.berth.protocol.Backoff;
import dev.berth.protocol.TaskStateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Sends task state changes to berth.task-events at least once. Workers hand changes to a
 * {@link StateChangeOutbox} (bounded, one per task, kept on disk) without blocking; one
 * sender thread sends every buffered change, waits for Kafka's acknowledgements, forgets the
 * acknowledged ones and goes again, retrying with backoff while Kafka does not answer. A task
 * has at most one change in flight, so the compacted topic always ends with its latest change.
 */
public final class StateChangeSender implements StateReporter, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(StateChangeSender.class);
    /** How long the idle sender waits before it looks at the outbox again. */
    private static final long IDLE_WAIT_MILLIS = 500;

    /** Sends one change; the future completes when Kafka has acknowledged it. */
    @FunctionalInterface
    public interface Transport {
        CompletableFuture<?> send(TaskStateChange change);
    }

    private final Transport transport;
    private final Duration ackTimeout;
    private final Supplier<Backoff> backoffs;
    private final StateChangeOutbox outbox;
    private volatile boolean running = true;
    private volatile boolean fullWarned;
    private Thread thread;

    public StateChangeSender(Transport transport, Duration ackTimeout, Supplier<Backoff> backoffs,
            StateChangeOutbox outbox) {
        this.transport = transport;
        this.ackTimeout = ackTimeout;
        this.backoffs = backoffs;
        this.outbox = outbox;
    }

    public synchronized void start() {
        thread = new Thread(this::sendAll, "berth-agent-state-sender");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void forget(String taskId) {
        outbox.forget(taskId);
    }

    @Override
    public boolean report(TaskStateChange change) {
        if (outbox.offer(change)) {
            fullWarned = false;
            return true;
        }
        if (!fullWarned && outbox.size() >= outbox.capacity()) {
            fullWarned = true;
            LOGGER.warnf("Task %s: %d tasks already have state changes waiting for Kafka; its %s change waits in"
                    + " its worker until there is room", change.taskId(), outbox.capacity(), change.lastStatus());
        }
        return false;
    }

    @Override
    public boolean acknowledged(String taskId) {
        return outbox.pendingOf(taskId).isEmpty();
    }

    /** Tasks whose latest change Kafka has not acknowledged yet. */
    public int pendingCount() {
        return outbox.size();
    }

    /**
     * Waits until every change handed over so far is acknowledged, or {@code bound} has
     * passed. What is left stays on disk and is sent by the next start.
     */
    public boolean flush(Duration bound) {
        try {
            if (outbox.awaitEmpty(System.nanoTime() + bound.toNanos())) {
                return true;
            }
            LOGGER.warnf("%d task state changes were not acknowledged by Kafka before the agent stopped; they are"
                    + " kept on disk and sent by the next start", outbox.size());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void sendAll() {
        Backoff backoff = backoffs.get();
        while (running) {
            try {
                if (!outbox.awaitPending(IDLE_WAIT_MILLIS)) {
                    continue;
                }
                if (sendRound()) {
                    backoff.reset();
                } else if (!backoff.pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends every buffered change once and forgets the acknowledged ones; false when one failed. */
    private boolean sendRound() throws InterruptedException {
        List<TaskStateChange> round = outbox.pending();
        List<CompletableFuture<?>> sent = new ArrayList<>(round.size());
        for (TaskStateChange change : round) {
            sent.add(transport.send(change));
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        boolean allAcknowledged = true;
        for (int i = 0; i < round.size(); i++) {
            TaskStateChange change = round.get(i);
            try {
                sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outbox.acknowledged(change);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (allAcknowledged) {
                    LOGGER.warnf("Task %s: Kafka did not acknowledge its %s state change (%s); %d changes are kept"
                            + " and retried", change.taskId(), change.lastStatus(), cause.getMessage(), outbox.size());
                }
                allAcknowledged = false;
            }
        }
        return allAcknowledged;
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        outbox.wakeAll();
        if (t != null) {
            t.interrupt();
        }
    }
}
