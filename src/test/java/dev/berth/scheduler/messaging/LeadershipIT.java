package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TopicReader;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Taking the leadership over against a real broker: a take-over whose announcement fails
 * leaves nothing running behind it, however often it is retried.
 */
class LeadershipIT {

    private static final String TRANSACTIONAL_ID = "it-leadership";

    private static WriterBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = WriterBroker.start("it-leadership");
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    @Test
    void aTakeOverWhoseAnnouncementFailsLeavesNoCommitterBehind() throws Exception {
        // Given: a replica whose announcement Kafka would refuse (an API URL above max.request.size);
        // committer threads that other tests in this JVM left are not this replica's
        Set<Thread> before = committerThreads();
        SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofMinutes(1), Duration.ofHours(1));
        TopicReader reader = new TopicReader("it-leadership-reader", broker.clients(), new RecordCodec(), null,
                Map.of(), (topic, key, value) -> { });
        Leadership leadership = new Leadership(broker.clients(), state, reader, List.of(),
                new Leadership.Replica("replica-1", "http://" + "x".repeat(2 * 1024 * 1024), TRANSACTIONAL_ID,
                        Duration.ofSeconds(10)), Clock.systemUTC(), SchedulerObserver.NONE);
        Thread thread = new Thread(leadership, "it-leadership");
        thread.setDaemon(true);
        thread.start();
        try {
            // When: elected, it tries to take over again and again (each try fences with a new epoch)
            int epochBefore = producerEpoch();
            leadership.elected();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(producerEpoch() - epochBefore).isGreaterThanOrEqualTo(5));

            // Then: it never leads, and no more committer threads live than one try's two
            assertThat(leadership.writer()).isNull();
            Set<Thread> ours = committerThreads();
            ours.removeAll(before);
            assertThat(ours).hasSizeLessThanOrEqualTo(2);
        } finally {
            leadership.close();
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** The epoch of the leader's transactional id: each take-over's {@code initTransactions} bumps it. */
    private static int producerEpoch() throws Exception {
        try (Admin admin = broker.clients().admin()) {
            return admin.describeTransactions(List.of(TRANSACTIONAL_ID)).all().get().get(TRANSACTIONAL_ID)
                    .producerEpoch();
        } catch (java.util.concurrent.ExecutionException e) {
            // Not known to the coordinator before the first take-over.
            return 0;
        }
    }

    private static Set<Thread> committerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("berth-scheduler-") && t.getName().endsWith("committer"))
                .collect(Collectors.toCollection(HashSet::new));
    }
}
