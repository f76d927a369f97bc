package dev.berth.scheduler;

import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.PlacementResult;
import dev.berth.scheduler.placement.PlacementRun;
import dev.berth.scheduler.placement.PlacementStack;
import dev.berth.scheduler.plan.PlanApplier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * RunTask calls placed in batches (flat combining). A call queues its work, then tries the
 * write lock; whoever holds it does every call queued so far, in queue order, and each other
 * caller goes on as soon as its own call is done. The calls of one batch share one view of
 * the cluster: consecutive calls of the same shape (task, group, constraints, strategies)
 * continue one {@link PlacementRun}, so checking every instance (O(instances)) is paid once per
 * batch instead of once per call, and the result is the one that placing the calls one after
 * the other would give. A call of another shape reads the cluster again (with every plan of
 * the batch already counted in flight).
 *
 * <p>Bound: each caller waits for its own call, so the queue never holds more calls than there
 * are threads calling (the API's worker pool).
 */
final class PlacementBatches {

    private final Lock writeLock;
    private final PlanApplier applier;
    private final PlacementStack placement;
    /**
     * How long a caller waits for its call before it tries the lock again: the lock may have
     * been held by another operation (StopTask, RegisterTaskDefinition), which places nothing.
     */
    private static final Duration HOLDER_CHECK = Duration.ofMillis(1);

    private final ConcurrentLinkedQueue<Call<?>> queue = new ConcurrentLinkedQueue<>();

    PlacementBatches(Lock writeLock, PlanApplier applier, PlacementStack placement) {
        this.writeLock = writeLock;
        this.applier = applier;
        this.placement = placement;
    }

    /**
     * Does {@code work} under the write lock, in a batch with the calls queued with it, and
     * returns its result (or throws what it threw).
     */
    <T> T place(Function<SharedView, T> work) {
        Call<T> call = new Call<>(work);
        queue.add(call);
        while (!call.isDone()) {
            if (writeLock.tryLock()) {
                try {
                    placeQueued();
                } finally {
                    writeLock.unlock();
                }
            } else {
                // Another thread holds the lock: it places this call, or this thread takes the
                // lock once it is free. Waiting for the call itself (not for the lock) lets each
                // caller go on the moment its own call is done, not one lock hand-off at a time.
                // The holder may wait for a commit: a request's staged plans must not hold it up.
                RequestScope.release();
                call.awaitDone(HOLDER_CHECK);
            }
        }
        return call.result();
    }

    private void placeQueued() {
        SharedView view = new SharedView();
        Call<?> next;
        while ((next = queue.poll()) != null) {
            next.run(view);
        }
    }

    /** One queued call: run by the lock's holder, waited for by its caller. */
    private static final class Call<T> {
        private final Function<SharedView, T> work;
        private final CountDownLatch done = new CountDownLatch(1);
        private T result;
        private RuntimeException error;
        private boolean interrupted;

        Call(Function<SharedView, T> work) {
            this.work = work;
        }

        void run(SharedView view) {
            try {
                result = work.apply(view);
            } catch (RuntimeException e) {
                error = e;
                view.forget();
            } finally {
                done.countDown();
            }
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        /**
         * Waits for the call, up to {@code patience}. An interrupt is kept for the caller but
         * does not end the wait: the call may already be placed and written, and its caller
         * must answer what it did.
         */
        void awaitDone(Duration patience) {
            try {
                done.await(patience.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }

        /** The latch orders the holder's writes before this read. */
        T result() {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /** The cluster as the calls of one batch see it, and the run that calls of one shape continue. */
    final class SharedView {

        private PlacementRequest shape;
        private PlacementRun run;

        private SharedView() {
        }

        /**
         * Places the request's copies, continuing the run of the call before when it had the
         * same shape.
         *
         * @throws EcsException when the cluster has no instances
         */
        PlacementResult place(PlacementRequest request) {
            PlacementRequest wanted = new PlacementRequest(request.cluster(), request.demand(), 0, request.group(),
                    request.constraints(), request.strategies());
            if (run == null || !wanted.equals(shape)) {
                List<Candidate> candidates = applier.candidates(request.cluster());
                if (candidates.isEmpty()) {
                    throw EcsException.invalidParameter(Tasks.NO_INSTANCES);
                }
                run = placement.open(candidates, wanted);
                shape = wanted;
            }
            return run.place(request.count());
        }

        /**
         * Stops sharing the run: what it counts no longer matches what was published (the
         * applier refused a copy, or the call failed after placing), so the next call reads
         * the cluster again.
         */
        void forget() {
            run = null;
            shape = null;
        }
    }
}
