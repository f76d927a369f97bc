package dev.berth.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an outside program does with berth.requests and berth.responses: plain Kafka clients,
 * no Berth code. Keeps every response and dead letter it has read, from the beginning.
 */
public final class RequestTopics implements AutoCloseable {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Object> client;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> responses;
    private final KafkaConsumer<String, byte[]> deadLetters;
    private final List<ConsumerRecord<String, byte[]>> responsesRead = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> deadLettersRead = new ArrayList<>();

    public RequestTopics(String bootstrap) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), true);
    }

    /**
     * With the client settings of a user (bootstrap servers, SASL...); {@code readDeadLetters}
     * false for a user whose ACLs let it read only the responses.
     */
    public RequestTopics(Map<String, Object> client, boolean readDeadLetters) {
        this.client = Map.copyOf(client);
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        responses = tail(client, "berth.responses");
        deadLetters = readDeadLetters ? tail(client, "berth.dead-letters") : null;
    }

    private static KafkaConsumer<String, byte[]> tail(Map<String, Object> client, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /**
     * Whether the scheduler's request group has committed a position at the end of every
     * partition of berth.requests: every request sent so far is answered.
     */
    public boolean allAnswered() throws Exception {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets("berth-scheduler-requests").partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicPartition partition : producer.partitionsFor("berth.requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList()) {
                latest.put(partition, OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() == e.getValue().offset()));
        }
    }

    /** Sends a raw record to berth.requests and waits for Kafka's acknowledgement. */
    public void send(String key, String value) {
        try {
            producer.send(new ProducerRecord<>("berth.requests", key,
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a request to the partition given (a producer may choose it), without waiting for
     * Kafka's acknowledgement: {@link #flush()} waits for all of them.
     */
    public void request(int partition, String id, String operation, String body) {
        producer.send(new ProducerRecord<>("berth.requests", partition, id, ("{\"operation\":\"" + operation
                + "\",\"request\":" + body + "}").getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a raw record to the partition given, without waiting: {@link #flush()} waits for all of them. */
    public void sendWithoutWaiting(int partition, String key, String value) {
        producer.send(new ProducerRecord<>("berth.requests", partition, key,
                value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits until every request sent is acknowledged. */
    public void flush() {
        producer.flush();
    }

    /**
     * Sends a request with the id as the record key, without waiting for Kafka's
     * acknowledgement: {@link #flush()} waits for all of them.
     */
    public void requestWithoutWaiting(String id, String operation, String body) {
        producer.send(new ProducerRecord<>("berth.requests", id, ("{\"operation\":\"" + operation
                + "\",\"request\":" + body + "}").getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends a request with the id as the record key. */
    public void request(String id, String operation, String body) {
        send(id, "{\"operation\":\"" + operation + "\",\"request\":" + body + "}");
    }

    /** Every response read so far for the request id, in order. */
    public List<JsonNode> responses(String requestId) {
        for (ConsumerRecord<String, byte[]> r : responses.poll(Duration.ofMillis(100))) {
            responsesRead.add(r);
        }
        return responsesRead.stream().filter(r -> requestId.equals(r.key())).map(r -> json(r.value())).toList();
    }

    /** Every response, as raw bytes, for the request id. */
    public List<String> rawResponses(String requestId) {
        responses(requestId);
        return responsesRead.stream().filter(r -> requestId.equals(r.key()))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** Every dead letter read so far of a berth.requests record with this key (null: no key). */
    public List<JsonNode> deadLetters(String key) {
        for (ConsumerRecord<String, byte[]> r : deadLetters.poll(Duration.ofMillis(100))) {
            deadLettersRead.add(r);
        }
        return deadLettersRead.stream().filter(r -> key == null ? r.key() == null : key.equals(r.key()))
                .map(r -> json(r.value())).filter(d -> "berth.requests".equals(d.path("topic").asText())).toList();
    }

    /** Every response read so far, by request id, in the order they were read. */
    public Map<String, List<JsonNode>> allResponses() {
        responses("");
        Map<String, List<JsonNode>> byId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : responsesRead) {
            byId.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(json(r.value()));
        }
        return byId;
    }

    private JsonNode json(byte[] value) {
        try {
            return mapper.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
        responses.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
