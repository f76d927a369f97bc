package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The events stream against a real broker and the leader's real writer, with a fold that
 * names the record it was given: a new term publishes from where the last committed one
 * stopped (what was published is replayed, not published again), and a record the fold cannot
 * take is a dead letter, not the end of the stream.
 */
class EventStreamIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static TestKafka kafka;
    private static KafkaSettings settings;
    private static KafkaClients clients;
    private final RecordCodec codec = new RecordCodec();
    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofMinutes(1),
            Duration.ofHours(1));

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
        settings = TestKafkaSettings.builder(kafka.bootstrapServers()).topicPrefix("it-events")
                .with("partitions", "2").build();
        clients = new KafkaClients(settings, "it");
        assertThat(new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** A fold that makes one event per record, named by its key, and that cannot take the key "poison". */
    private static final class NamingFold implements EventStream.Fold {
        private final AtomicInteger folded;

        NamingFold(AtomicInteger folded) {
            this.folded = folded;
        }

        @Override
        public List<EventStream.Event> apply(EventStream.Source record) {
            folded.incrementAndGet();
            if (record.key().startsWith("poison")) {
                throw new IllegalArgumentException("cannot take " + record.key());
            }
            return List.of(new EventStream.Event("arn/" + record.key(), record.key().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private EventStream stream(String transactionalId, AtomicInteger folded) {
        return stream(transactionalId, folded, "it-events-group");
    }

    private EventStream stream(String transactionalId, AtomicInteger folded, String group) {
        var producer = clients.transactionalProducer("it", transactionalId, Duration.ofSeconds(10));
        producer.initTransactions();
        LeaderWriter writer = new LeaderWriter(producer, settings, state, 2, spent -> { });
        Supplier<EventStream.Fold> fold = () -> new NamingFold(folded);
        return new EventStream(clients, group, () -> writer, () -> fold, Clock.systemUTC());
    }

    private void register(String key) throws Exception {
        InstanceRegistration registration = instance(key, "default", 1024, 1024, T0, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topic.INSTANCES.name(settings), key, codec.encode(registration))).get();
        }
    }

    private static List<String> committed(Topic topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(settings)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
            }
        }
        return keys;
    }

    @Test
    void aTermThatPublishesCommitsThePositionOfEverySourcePartitionQuietOnesToo() throws Exception {
        // Given: source partitions that never had a record (Kafka expires a position of this
        // memberless group a retention period after its last commit: quiet ones must be committed too)
        int sourcePartitions = 0;
        try (var admin = clients.admin()) {
            for (var description : admin.describeTopics(EventStream.SOURCES.stream().map(t -> t.name(settings))
                    .toList()).allTopicNames().get().values()) {
                sourcePartitions += description.partitions().size();
            }
        }
        int expected = sourcePartitions;

        // When: a term starts publishing
        EventStream stream = stream("it-events-refresh", new AtomicInteger(), "it-events-refresh-group");
        Thread thread = new Thread(stream, "it-events-refresh");
        thread.start();

        // Then: the group holds a position for every source partition
        try (var admin = clients.admin()) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets(
                    "it-events-refresh-group").partitionsToOffsetAndMetadata().get()).hasSize(expected));
        } finally {
            stream.close();
            thread.join();
        }
    }

    @Test
    void aCommittedPositionPastThePartitionsEndHoldsNothingBack() throws Exception {
        // Given: the group's position on a partition is past its end (the topic was recreated,
        // or an unclean leader election truncated it)
        String group = "it-events-beyond-group";
        TopicPartition truncated = new TopicPartition(Topic.INSTANCES.name(settings), 0);
        try (var admin = clients.admin()) {
            admin.alterConsumerGroupOffsets(group, Map.of(truncated, new OffsetAndMetadata(1_000_000))).all().get();
        }

        // When: a term starts and a record comes
        EventStream stream = stream("it-events-beyond", new AtomicInteger(), group);
        Thread thread = new Thread(stream, "it-events-beyond");
        thread.start();
        register("i-beyond");

        // Then: its event is published
        try {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(committed(Topic.EVENTS)).contains("arn/i-beyond"));
        } finally {
            stream.close();
            thread.join();
        }
    }

    @Test
    void aNewTermPublishesOnlyWhatTheLastOneDidNotAndSetsPoisonAside() throws Exception {
        // Given: a first term that publishes two records' events, and sets one record aside
        AtomicInteger firstFolded = new AtomicInteger();
        EventStream first = stream("it-events-1", firstFolded);
        Thread firstThread = new Thread(first, "it-events-first");
        firstThread.start();
        register("i-a");
        register("poison-1");
        register("i-b");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(committed(Topic.EVENTS)).containsExactlyInAnyOrder(
                "arn/i-a", "arn/i-b"));
        assertThat(committed(Topic.DEAD_LETTERS)).contains("poison-1");
        first.close();
        firstThread.join();

        // When: the next term (another leader's writer) starts, and one more record comes
        AtomicInteger secondFolded = new AtomicInteger();
        EventStream second = stream("it-events-1", secondFolded);
        Thread secondThread = new Thread(second, "it-events-second");
        secondThread.start();
        register("i-c");

        // Then: only the new record's event is published; the earlier ones were replayed into the fold, not repeated
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(committed(Topic.EVENTS)).containsExactlyInAnyOrder(
                "arn/i-a", "arn/i-b", "arn/i-c"));
        assertThat(secondFolded.get()).as("the second term folded every record, the three before it included")
                .isEqualTo(4);
        assertThat(committed(Topic.DEAD_LETTERS)).containsOnlyOnce("poison-1");
        second.close();
        secondThread.join();
    }
}
