package dev.berth.bench;

import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The leader the schedulers last announced on berth.scheduler-leader. */
final class LeaderLookup {

    private static final String TOPIC = "berth.scheduler-leader";
    private final String bootstrap;
    private final RecordCodec codec = new RecordCodec();

    LeaderLookup(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** The latest announcement, or null when there is none. */
    LeaderRecord latest() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        LeaderRecord latest = null;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (codec.decode(r.value()) instanceof RecordCodec.Decoded.Record d
                            && d.value() instanceof LeaderRecord l) {
                        latest = l;
                    }
                }
            }
        }
        return latest;
    }
}
