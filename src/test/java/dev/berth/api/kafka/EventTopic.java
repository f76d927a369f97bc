package dev.berth.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A plain {@code read_committed} consumer of berth.events from its beginning, as any outside
 * program would read it: what the tests assert on.
 */
public final class EventTopic implements AutoCloseable {

    /** One record of berth.events: its key, where it is, and its value. */
    public record Received(String key, int partition, long offset, JsonNode value, String raw) {
        public String detailType() {
            return value.path("detail-type").asText();
        }

        public JsonNode detail() {
            return value.path("detail");
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> read = new ArrayList<>();

    public EventTopic(String bootstrap) {
        this(bootstrap, "berth.events");
    }

    public EventTopic(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every event committed so far, in the order read (per partition: the order written). */
    public synchronized List<Received> all() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            String raw = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                read.add(new Received(record.key(), record.partition(), record.offset(), mapper.readTree(raw), raw));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON on berth.events: " + raw, e);
            }
        }
        return List.copyOf(read);
    }

    /** The events of one resource, in the order written. */
    public List<Received> of(String arn) {
        return all().stream().filter(e -> arn.equals(e.key())).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }
}
