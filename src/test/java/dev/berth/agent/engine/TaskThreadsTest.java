package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The task threads: idle threads are reused before a new one starts, the last idle first so
 * that the others end, and both bounds hold.
 */
class TaskThreadsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private TaskThreads threads;

    @AfterEach
    void close() {
        release.countDown();
        threads.close();
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20));
    }

    private void blockOne(AtomicInteger started) {
        threads.execute(() -> {
            started.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void wakeUpsOneAfterTheOtherShareOneThread() {
        // Given
        threads = new TaskThreads(64);
        Set<Thread> used = ConcurrentHashMap.newKeySet();

        // When ten tasks act one after the other, each after the previous one's thread went idle
        for (int i = 0; i < 10; i++) {
            AtomicInteger done = new AtomicInteger();
            threads.execute(() -> {
                used.add(Thread.currentThread());
                done.incrementAndGet();
            });
            await().until(() -> done.get() == 1 && threads.hasIdleThread());
        }

        // Then
        assertThat(used).hasSize(1);
        assertThat(threads.threads()).isEqualTo(1);
    }

    @Test
    void busyThreadsMakeANewThreadStartUpToTheLimit() {
        // Given
        threads = new TaskThreads(3);
        AtomicInteger started = new AtomicInteger();

        // When four tasks act at once
        for (int i = 0; i < 4; i++) {
            blockOne(started);
        }

        // Then three act, each on its own thread, and the fourth waits for one
        await().until(() -> started.get() == 3);
        assertThat(threads.threads()).isEqualTo(3);
        release.countDown();
        await().until(() -> started.get() == 4);
    }

    @Test
    void aSteadyTrickleOfWakeUpsLetsTheThreadsABurstStartedEnd() {
        // Given eight threads that a burst started, now idle, which end after 500 ms idle
        threads = new TaskThreads(64, TaskThreads.DEFAULT_QUEUE_BOUND, Duration.ofMillis(500));
        AtomicInteger started = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            blockOne(started);
        }
        await().until(() -> started.get() == 8);
        release.countDown();
        await().until(() -> threads.active() == 0);
        assertThat(threads.threads()).isEqualTo(8);

        // When a short wake-up comes every 50 ms, as the periodic resync wakes one task after
        // another: handed to the threads in turn, each would be used every 400 ms and none would end
        ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor();
        try {
            resync.scheduleAtFixedRate(() -> threads.execute(() -> { }), 0, 50, TimeUnit.MILLISECONDS);

            // Then the threads that the wake-ups do not need end
            await().until(() -> threads.threads() <= 2);
        } finally {
            resync.shutdownNow();
        }
    }

    @Test
    void beyondTheQueueBoundAWakeUpIsRefused() {
        // Given one busy thread and one wake-up waiting for it
        threads = new TaskThreads(1, 1);
        AtomicInteger started = new AtomicInteger();
        blockOne(started);
        await().until(() -> started.get() == 1);
        blockOne(started);

        // When, Then
        assertThatThrownBy(() -> blockOne(started)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("all 1 task threads are busy and 1 tasks wait for one");
    }
}
