package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.Topic;
import dev.berth.scheduler.SchedulerUnavailableException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's consumer of berth.requests against a real broker, with a handler of the test's
 * own: what it commits when the handler cannot serve a record.
 */
class RequestConsumerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String GROUP = "it-request-consumer-requests";

    private static WriterBroker broker;

    @BeforeAll
    static void startKafka() {
        broker = WriterBroker.start("it-request-consumer");
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofMinutes(1),
            Duration.ofHours(1));
    private LeaderWriter writer;
    private RequestConsumer consumer;
    private Thread consuming;

    private void serve(RequestConsumer.Handler handler) {
        // A broker just started may take a while to have a transaction coordinator.
        writer = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> broker.writer(state, "it-request-consumer", spent -> { }, LeaderWriter.HOLD), w -> true);
        consumer = new RequestConsumer(broker.clients(), GROUP, () -> writer, () -> handler, Clock.systemUTC());
        consuming = new Thread(consumer, "it-requests");
        consuming.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (consumer != null) {
            consumer.close();
            consuming.join(PATIENCE.toMillis());
        }
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void aRecordWhoseHandlerThrowsIsReadAgainAndGetsItsRealAnswer() throws Exception {
        // Given: a handler that cannot serve its first record (the control plane went away
        // under it, as when the scheduler stops), then answers every record
        AtomicInteger calls = new AtomicInteger();
        serve(record -> {
            if (calls.incrementAndGet() == 1) {
                throw new SchedulerUnavailableException("the scheduler is stopping");
            }
            return RequestConsumer.Answer.of(List.of(new StateChange.Publish(Topic.RESPONSES, record.key(),
                    ("{\"answer\":\"" + record.key() + "\"}").getBytes(StandardCharsets.UTF_8))));
        });

        // When
        TopicRecords.send(broker.settings().bootstrapServers(), Topic.REQUESTS.name(broker.settings()), "r-1",
                "{\"operation\":\"ListClusters\"}");

        // Then: the record is answered, once, with the handler's answer and no dead letter
        await().atMost(PATIENCE).untilAsserted(
                () -> assertThat(broker.committedKeys(Topic.RESPONSES)).containsExactly("r-1"));
        assertThat(calls.get()).isEqualTo(2);
        assertThat(broker.committedKeys(Topic.DEAD_LETTERS)).doesNotContain("r-1");

        // And the group's position passes it only once it is answered
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(committedPositions().values())
                .extracting(OffsetAndMetadata::offset).contains(1L));
    }

    private Map<TopicPartition, OffsetAndMetadata> committedPositions() throws Exception {
        try (Admin admin = broker.clients().admin()) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        }
    }
}
