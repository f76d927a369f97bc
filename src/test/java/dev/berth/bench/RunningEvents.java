package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of berth.events, as an EventBridge-style consumer would read it
 * ({@code read_committed}, from the end when started): when the first "ECS Task State Change"
 * with {@code lastStatus} RUNNING arrived for each task ARN ({@link System#nanoTime()}).
 */
final class RunningEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> events;
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean open = true;

    RunningEvents(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        events = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = events.partitionsFor("berth.events", Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        events.assign(partitions);
        events.seekToEnd(partitions);
        partitions.forEach(events::position);
        reader = new Thread(this::read, "bench-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (open) {
            for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(100))) {
                long at = System.nanoTime();
                try {
                    JsonNode event = JSON.readTree(record.value());
                    if ("ECS Task State Change".equals(event.path("detail-type").asText())
                            && "RUNNING".equals(event.path("detail").path("lastStatus").asText())) {
                        running.putIfAbsent(event.path("detail").path("taskArn").asText(record.key()), at);
                    }
                } catch (IOException e) {
                    // not an event of interest
                }
            }
        }
        events.close();
    }

    /** When the task's first RUNNING event was read, or null. */
    Long runningAt(String taskArn) {
        return running.get(taskArn);
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join(5_000);
    }
}
