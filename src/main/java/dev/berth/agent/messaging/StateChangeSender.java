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
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.jboss.logging.Logger;

/**
 * Sends task state changes to berth.task-events at least once. Workers hand changes to a
 * {@link StateChangeOutbox} (bounded, one per task, kept on disk) without blocking; one
 * sender thread sends every buffered change, waits for Kafka's acknowledgements, forgets the
 * acknowledged ones and goes again, retrying with backoff while Kafka does not answer; a new
 * change or a {@link #flush} cuts the backoff short. A task has at most one change in flight,
 * so the compacted topic always ends with its latest change. A change that Kafka refuses for
 * good (a record over the broker's size limit, an invalid one) is dropped with an ERROR line
 * naming the task, so it holds up no other change and no flush.
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
            outbox.nudge();
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
                } else {
                    outbox.pause(backoff.nextDelay());
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
            sent.add(send(change));
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
                if (refusedForGood(cause)) {
                    LOGGER.errorf("Task %s: Kafka refuses its %s state change (version %d) for good (%s: %s); it is"
                            + " dropped, and the task's next change is sent", change.taskId(), change.lastStatus(),
                            change.version(), cause.getClass().getSimpleName(), cause.getMessage());
                    outbox.refused(change);
                    continue;
                }
                if (allAcknowledged) {
                    LOGGER.warnf("Task %s: Kafka did not acknowledge its %s state change (%s); %d changes are kept"
                            + " and retried", change.taskId(), change.lastStatus(), cause.getMessage(), outbox.size());
                }
                allAcknowledged = false;
            }
        }
        return allAcknowledged;
    }

    private CompletableFuture<?> send(TaskStateChange change) {
        try {
            return transport.send(change);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether the record itself is at fault, so that no retry can succeed. Only these: other
     * errors Kafka does not retry (authorization, a closed producer) are not the record's and
     * pass once they are fixed, so a change dropped on them would be lost.
     */
    private static boolean refusedForGood(Throwable cause) {
        return cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidRecordException;
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
