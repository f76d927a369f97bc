package dev.berth.bench;

import dev.berth.protocol.RecordCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The baseline of figure (c): one plain consumer reads the scheduler's topics from the
 * beginning to their end and decodes every record once, what any rebuild must at least do.
 */
final class TopicReplay {

    /** The scheduler's state topics (SchedulerKafka.READ). */
    static final List<String> SCHEDULER_TOPICS = List.of("berth.clusters", "berth.task-definitions", "berth.tasks",
            "berth.task-events", "berth.instances", "berth.scheduler-leader", "berth.client-tokens");

    /** How long one replay took, and how many records it read. */
    record Replay(double millis, long records) {
    }

    private TopicReplay() {
    }

    static Replay replay(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        RecordCodec codec = new RecordCodec();
        long start = System.nanoTime();
        long records = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : SCHEDULER_TOPICS) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    codec.decode(r.value());
                    records++;
                }
            }
        }
        return new Replay((System.nanoTime() - start) / 1e6, records);
    }
}
