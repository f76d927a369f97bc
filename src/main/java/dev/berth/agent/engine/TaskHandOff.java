package dev.berth.agent.engine;

import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queue of {@link TaskThreads}' pool. {@link #offer} succeeds only when an idle thread takes
 * the work at once, which makes the pool start a thread when none is idle; of the idle
 * threads, the one that went idle last takes it (a stack: {@code LinkedTransferQueue} and a
 * fair {@code SynchronousQueue} serve the longest idle, so a steady trickle of wake-ups keeps
 * every thread alive). Work that finds every thread busy waits through {@link #waitForThread},
 * at most {@code bound} at a time, and a thread that finishes takes it before it goes idle.
 * One lock orders the two, so work never waits while a thread idles.
 */
final class TaskHandOff extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

    /** A thread waiting for work, and the work handed to it. */
    private static final class IdleThread {
        private final Condition handed;
        private Runnable work;

        IdleThread(Condition handed) {
            this.handed = handed;
        }
    }

    private final int bound;
    private final ReentrantLock lock = new ReentrantLock();
    /** Work that found every thread busy, oldest first; at most {@link #bound}. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Idle threads, the one that went idle last first; at most the pool's threads. */
    private final ArrayDeque<IdleThread> idle = new ArrayDeque<>();

    TaskHandOff(int bound) {
        this.bound = bound;
    }

    /** Hands {@code work} to the thread that went idle last; false when none is idle. */
    @Override
    public boolean offer(Runnable work) {
        Objects.requireNonNull(work);
        lock.lock();
        try {
            return handToIdleThread(work);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean offer(Runnable work, long timeout, TimeUnit unit) {
        return offer(work);
    }

    /**
     * Keeps {@code work} until a thread is free, or hands it to one that went idle since
     * {@link #offer} found none; false at the bound.
     */
    boolean waitForThread(Runnable work) {
        Objects.requireNonNull(work);
        lock.lock();
        try {
            if (handToIdleThread(work)) {
                return true;
            }
            if (waiting.size() >= bound) {
                return false;
            }
            waiting.addLast(work);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a thread waits for work. */
    boolean hasIdleThread() {
        lock.lock();
        try {
            return !idle.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private boolean handToIdleThread(Runnable work) {
        IdleThread thread = idle.pollFirst();
        if (thread == null) {
            return false;
        }
        thread.work = work;
        thread.handed.signal();
        return true;
    }

    /** Work that waits, else waits idle for work to be handed over, up to {@code timeout}. */
    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
        return await(unit.toNanos(timeout), true);
    }

    @Override
    public Runnable take() throws InterruptedException {
        return await(0, false);
    }

    private Runnable await(long nanos, boolean timed) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Runnable work = waiting.pollFirst();
            if (work != null) {
                return work;
            }
            IdleThread self = new IdleThread(lock.newCondition());
            idle.addFirst(self);
            try {
                while (self.work == null && (!timed || nanos > 0)) {
                    if (timed) {
                        nanos = self.handed.awaitNanos(nanos);
                    } else {
                        self.handed.await();
                    }
                }
            } catch (InterruptedException e) {
                if (self.work == null) {
                    throw e;
                }
                // Handed over just as it was interrupted: run it rather than lose it.
                Thread.currentThread().interrupt();
            } finally {
                if (self.work == null) {
                    idle.remove(self);
                }
            }
            return self.work;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable poll() {
        lock.lock();
        try {
            return waiting.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable peek() {
        lock.lock();
        try {
            return waiting.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Runnable work) {
        throw new UnsupportedOperationException("work is handed to an idle thread (offer) or waits (waitForThread)");
    }

    @Override
    public int remainingCapacity() {
        lock.lock();
        try {
            return bound - waiting.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean remove(Object work) {
        lock.lock();
        try {
            return waiting.remove(work);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the waiting work: the pool only reads it. */
    @Override
    public Iterator<Runnable> iterator() {
        lock.lock();
        try {
            return List.copyOf(waiting).iterator();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int drainTo(Collection<? super Runnable> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Runnable> target, int most) {
        lock.lock();
        try {
            List<Runnable> drained = new ArrayList<>();
            while (drained.size() < most && !waiting.isEmpty()) {
                drained.add(waiting.pollFirst());
            }
            target.addAll(drained);
            return drained.size();
        } finally {
            lock.unlock();
        }
    }
}
