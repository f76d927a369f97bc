package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RecordPublisher} against a real broker: an answer means Kafka has the record. */
class RecordPublisherIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestKafka kafka;
    private static KafkaSettings settings;
    private static KafkaClients clients;

    @BeforeAll
    static void startKafka() {
        kafka = TestKafka.start();
        settings = TestKafkaSettings.builder(kafka.bootstrapServers())
                .topicPrefix("it-publisher")
                .with("partitions", "3")
                .build();
        clients = new KafkaClients(settings, "it");
        assertThat(new TopicAdmin(clients).ensure(EnumSet.allOf(Topic.class))).isTrue();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void publishReturnsOnlyOnceTheBrokerHasTheRecord() throws Exception {
        // Given
        try (RecordPublisher publisher = new RecordPublisher(clients, new RecordCodec(), "acks")) {
            // When
            RecordMetadata written = publisher.publish(Topic.CLUSTERS, "prod", cluster("prod", 4));

            // Then, without waiting: the broker's log already ends after it
            assertThat(written.hasOffset()).isTrue();
            TopicPartition partition = new TopicPartition(written.topic(), written.partition());
            try (Admin admin = kafka.admin()) {
                long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                        .offset();
                assertThat(end).isGreaterThan(written.offset());
            }
            assertThat(read(partition, written.offset()).value()).isEqualTo(new RecordCodec().encode(cluster("prod", 4)));
        }
    }

    @Test
    void publishToAPartitionLandsThere() throws Exception {
        // Given
        try (RecordPublisher publisher = new RecordPublisher(clients, new RecordCodec(), "placement")) {
            assertThat(publisher.partitionCount(Topic.TASKS)).isEqualTo(3);

            // When
            RecordMetadata written = publisher.publish(Topic.TASKS, 2, "task-1", cluster("not-really-a-task", 1));

            // Then
            assertThat(written.partition()).isEqualTo(2);
            ConsumerRecord<String, byte[]> record = read(new TopicPartition(written.topic(), 2), written.offset());
            assertThat(record.key()).isEqualTo("task-1");
            assertThat(record.partition()).isEqualTo(2);
        }
    }

    @Test
    void aWriteKafkaDoesNotAcknowledgeIsAnErrorNotASuccess() {
        // Given a topic that does not exist on a broker that does not create topics
        KafkaSettings missing = TestKafkaSettings.builder(kafka.bootstrapServers())
                .with("topics.clusters", "it-publisher.no-such-topic")
                .with("send-timeout", "2s")
                .build();
        try (RecordPublisher publisher = new RecordPublisher(new KafkaClients(missing, "it"), new RecordCodec(), "lost")) {
            // When / Then
            assertThatThrownBy(() -> publisher.publish(Topic.CLUSTERS, "prod", cluster("prod", 1)))
                    .isInstanceOf(RecordPublisher.PublishException.class)
                    .hasMessageContaining("Kafka did not acknowledge the write");
        }
    }

    private static ConsumerRecord<String, byte[]> read(TopicPartition partition, long offset) {
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer("check")) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            AtomicReference<ConsumerRecord<String, byte[]>> found = new AtomicReference<>();
            Awaitility.await("the record at " + partition + "@" + offset).atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        found.set(record);
                    }
                }
                return found.get() != null;
            });
            return found.get();
        }
    }

    private static ClusterRecord cluster(String name, long version) {
        return new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, name, "ACTIVE", Instant.ofEpochSecond(1_700_000_000));
    }
}
