package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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
        KafkaProducer<String, byte[]> producer = clients.transactionalProducer("it", transactionalId,
                Duration.ofSeconds(10));
        producer.initTransactions();
        return new LeaderWriter(producer, settings, state, PARTITIONS, onSpent, "it-committer", hold);
    }

    /** The keys of every committed record on the topic, as a {@code read_committed} reader reads them. */
    List<String> committedKeys(Topic topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(settings)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
            }
        }
        return keys;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
