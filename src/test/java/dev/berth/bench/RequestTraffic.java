package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An outside program on berth.requests and berth.responses, as a pipeline would be: a plain
 * producer ({@code acks=all}) sends ECS requests keyed by their id, and a consumer thread
 * ({@code read_committed}, from the end of berth.responses when started) notes when each
 * response arrives and what it says. No Berth code.
 */
final class RequestTraffic implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response as read: when it arrived ({@link System#nanoTime()}) and its JSON. */
    record Answer(long readAt, JsonNode response) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> responses;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    RequestTraffic(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        responses = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = responses.partitionsFor("berth.responses", Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        responses.assign(partitions);
        responses.seekToEnd(partitions);
        partitions.forEach(responses::position);
        reader = new Thread(this::read, "bench-responses");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (running) {
            for (ConsumerRecord<String, byte[]> record : responses.poll(Duration.ofMillis(100))) {
                long at = System.nanoTime();
                try {
                    answers.putIfAbsent(record.key(), new Answer(at, JSON.readTree(record.value())));
                } catch (IOException e) {
                    answers.putIfAbsent(record.key(), new Answer(at, JSON.createObjectNode().put("unreadable",
                            new String(record.value(), StandardCharsets.UTF_8))));
                }
            }
        }
        responses.close();
    }

    /** Sends a request without waiting for Kafka's acknowledgement. */
    void send(String id, String operation, JsonNode body) {
        byte[] value = ("{\"operation\":\"" + operation + "\",\"request\":" + body + "}")
                .getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>("berth.requests", id, value));
    }

    void flush() {
        producer.flush();
    }

    /** The first response read for the id, or null. */
    Answer answer(String id) {
        return answers.get(id);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5_000);
        producer.close();
    }
}
