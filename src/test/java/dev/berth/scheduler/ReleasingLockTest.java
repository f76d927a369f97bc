package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request of berth.requests that must wait for the write or service lock first lets go of
 * the plans it staged: the lock's holder may be waiting for the commit that those plans hold
 * back. A request that gets the lock at once keeps them.
 */
class ReleasingLockTest {

    private final AtomicInteger told = new AtomicInteger();
    private final RequestTransaction.Holder writer = told::incrementAndGet;

    private static <T> T asRequest(RequestTransaction transaction, java.util.function.Supplier<T> body) {
        ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, "kafka-request/r-1", "Op",
                "hash", List.of(), List.of(), T0, null);
        return RequestScope.within(marker, transaction, body);
    }

    @Test
    void aRequestThatMustWaitForTheLockReleasesItsStagedPlansBeforeItWaits() {
        // Given: the lock is held (as by an API call waiting for its commit), and a request has staged a plan
        ReleasingLock lock = new ReleasingLock();
        lock.lock();
        RequestTransaction transaction = new RequestTransaction();
        transaction.stage(writer);

        // When: the request asks for the lock
        CompletableFuture<Boolean> request = CompletableFuture.supplyAsync(() -> asRequest(transaction, () -> {
            lock.lock();
            lock.unlock();
            return true;
        }));

        // Then: while it still waits, its plans are no longer held for its answer, and the writer knows
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lock.hasQueuedThreads()).isTrue();
            assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.SPLIT);
        });
        assertThat(told).hasValue(1);
        assertThat(request).isNotDone();
        lock.unlock();
        assertThat(request.join()).isTrue();
    }

    @Test
    void aRequestThatGetsTheLockAtOnceKeepsItsPlansForItsAnswer() {
        // Given
        ReleasingLock lock = new ReleasingLock();
        RequestTransaction transaction = new RequestTransaction();
        transaction.stage(writer);

        // When
        asRequest(transaction, () -> {
            lock.lock();
            lock.unlock();
            return null;
        });

        // Then
        assertThat(transaction.phase()).isEqualTo(RequestTransaction.Phase.OPEN);
        assertThat(told).hasValue(0);
    }

    @Test
    void drainingReleasesTheRequestsStagedPlansBeforeItWaitsForThePlansInFlight() {
        // Given: a request with a staged plan, and a writer that records what it saw when asked to drain
        RequestTransaction transaction = new RequestTransaction();
        transaction.stage(writer);
        List<RequestTransaction.Phase> seen = new java.util.ArrayList<>();
        StateWriter drained = new StateWriter() {
            @Override
            public CompletableFuture<Void> submit(List<dev.berth.scheduler.StateChange> changes) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void drain() {
                seen.add(transaction.phase());
            }
        };

        // When
        asRequest(transaction, () -> {
            RequestScope.drain(drained);
            return null;
        });

        // Then
        assertThat(seen).containsExactly(RequestTransaction.Phase.SPLIT);
        assertThat(told).hasValue(1);
    }
}
