package dev.berth.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Reads and writes a topic as text, for tests that assert on what is in Kafka: the records a
 * role emitted, or the records it must react to.
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    /** Sends one record with {@code acks=all} and waits for the acknowledgement. */
    public static void send(String bootstrapServers, String topic, String key, String value) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot send to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + topic, e);
        }
    }

    /**
     * Reads every partition of the topic from the beginning until at least {@code count}
     * records have arrived, or fails after {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String bootstrapServers, String topic,
            int count, Duration timeout) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(bootstrapServers, topic, timeout,
                "read_uncommitted")) {
            Awaitility.await("at least " + count + " records in " + topic).atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= count;
            });
        }
        return seen;
    }

    /**
     * Every record in the topic right now: reads all partitions from the beginning up to the
     * end offsets they have when called. For asserting that something was <em>not</em> written,
     * once whatever could have written it has been flushed.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic,
            Duration timeout) {
        return readAll(bootstrapServers, topic, timeout, "read_uncommitted");
    }

    /**
     * Every committed record in the topic right now, as a {@code read_committed} reader (an
     * agent, a consumer of the public topics) sees it: up to the last stable offsets.
     */
    public static List<ConsumerRecord<String, String>> readAllCommitted(String bootstrapServers, String topic,
            Duration timeout) {
        return readAll(bootstrapServers, topic, timeout, "read_committed");
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic,
            Duration timeout, String isolation) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = fromTheBeginning(bootstrapServers, topic, timeout, isolation)) {
            List<TopicPartition> partitions = new ArrayList<>(consumer.assignment());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Awaitility.await("every record in " + topic).atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return seen;
    }

    /** A consumer assigned every partition of the topic, positioned at the beginning. */
    private static KafkaConsumer<String, String> fromTheBeginning(String bootstrapServers, String topic,
            Duration timeout, String isolation) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
