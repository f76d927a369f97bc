package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.scheduler.SchedulerObserver;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import dev.berth.testing.TopicRecords;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A real broker with Berth's topics (3 partitions each) for the tests of the leader's writer:
 * writers on it, and what a {@code read_committed} reader (an agent, a consumer of the public
 * topics) sees of it.
 */
final class WriterBroker implements AutoCloseable {

    /** The partitions of berth.tasks, as the writers are told. */
    static final int PARTITIONS = 3;

    private final TestKafka kafka;
    private final KafkaSettings settings;
    private final KafkaClients clients;

    private WriterBroker(TestKafka kafka, KafkaSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
        this.clients = new KafkaClients(settings, "it");
    }

    static WriterBroker start(String topicPrefix) {
        TestKafka kafka = TestKafka.start();
        WriterBroker broker = new WriterBroker(kafka, TestKafkaSettings.builder(kafka.bootstrapServers())
                .topicPrefix(topicPrefix).with("partitions", Integer.toString(PARTITIONS)).with("send-timeout", "5s")
                .build());
        assertThat(new TopicAdmin(broker.clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
        return broker;
    }

    KafkaSettings settings() {
        return settings;
    }

    KafkaClients clients() {
        return clients;
    }

    /** A leader's writer under {@code transactionalId}, which fences any writer that had it before. */
    LeaderWriter writer(SchedulerState state, String transactionalId, Consumer<LeaderWriter.Spent> onSpent,
            Duration hold) {
        return writer(state, transactionalId, onSpent, hold, SchedulerObserver.NONE);
    }

    /** The same, telling {@code observer} of the requests whose changes commit apart from their answer. */
    LeaderWriter writer(SchedulerState state, String transactionalId, Consumer<LeaderWriter.Spent> onSpent,
            Duration hold, SchedulerObserver observer) {
        return writer(state, transactionalId, onSpent, hold, observer, ConsumedPositions.INTERVAL);
    }

    /** A writer whose requests' positions ride in a transaction at most every {@code positionsInterval}. */
    LeaderWriter writer(SchedulerState state, String transactionalId, Duration positionsInterval) {
        return writer(state, transactionalId, spent -> { }, LeaderWriter.HOLD, SchedulerObserver.NONE,
                positionsInterval);
    }

    private LeaderWriter writer(SchedulerState state, String transactionalId, Consumer<LeaderWriter.Spent> onSpent,
            Duration hold, SchedulerObserver observer, Duration positionsInterval) {
        KafkaProducer<String, byte[]> producer = clients.transactionalProducer("it", transactionalId,
                Duration.ofSeconds(10));
        try {
            producer.initTransactions();
        } catch (org.apache.kafka.common.KafkaException e) {
            // A broker just started may not have its transaction coordinator yet: the caller may try again.
            producer.close(Duration.ZERO);
            throw e;
        }
        return new LeaderWriter(producer, settings, state, PARTITIONS, onSpent, "it-committer", hold, observer,
                positionsInterval);
    }

    /** The keys of every committed record on the topic, as a {@code read_committed} reader reads them. */
    List<String> committedKeys(Topic topic) {
        return TopicRecords.readAllCommitted(kafka.bootstrapServers(), topic.name(settings), Duration.ofSeconds(30))
                .stream().map(ConsumerRecord::key).toList();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
