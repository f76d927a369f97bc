package dev.berth.scheduler;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's write and service locks. A thread that carries out a request of
 * berth.requests and must wait for one of them first {@linkplain RequestScope#release releases}
 * the plans it staged: the lock's holder may be waiting for the writer's next commit (an API
 * call holds the lock until its plan is committed), and that commit would otherwise wait for
 * this request's answer. A lock taken without waiting releases nothing, so a request that
 * meets no contention keeps its plans and its answer in one transaction.
 */
final class ReleasingLock extends ReentrantLock {

    private static final long serialVersionUID = 1L;

    @Override
    public void lock() {
        if (!tryLock()) {
            RequestScope.release();
            super.lock();
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (!tryLock()) {
            RequestScope.release();
            super.lockInterruptibly();
        }
    }
}
