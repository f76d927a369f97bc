package dev.berth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 * Kafka's own end-to-end latency on the same broker, as the baseline of a request's: a plain
 * producer ({@code acks=all}) sends a record of a request's size, and a consumer polling as
 * the requests' consumers do reads it; the time from send to read, per record. Transactional,
 * each record is a transaction of its own, committed before the consumer may read it: the
 * least that an answer of berth.requests, committed with its request's changes, waits for.
 */
final class KafkaRoundTrip {

    private static final String TOPIC = "bench.round-trip";
    private static final String TRANSACTIONAL_TOPIC = "bench.round-trip-transactions";

    private KafkaRoundTrip() {
    }

    /** Sends {@code count} records at {@code perSecond}; the send-to-read times in ms, sorted. */
    static double[] measure(String bootstrap, int count, int perSecond, int recordBytes) throws Exception {
        return measure(bootstrap, count, perSecond, recordBytes, false);
    }

    /** The same, each record a transaction of its own: the send-to-read times in ms, sorted. */
    static double[] measureTransactions(String bootstrap, int count, int perSecond, int recordBytes)
            throws Exception {
        return measure(bootstrap, count, perSecond, recordBytes, true);
    }

    private static double[] measure(String bootstrap, int count, int perSecond, int recordBytes,
            boolean transactional) throws Exception {
        String topic = transactional ? TRANSACTIONAL_TOPIC : TOPIC;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        if (transactional) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-round-trip");
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        Map<String, Long> sent = new ConcurrentHashMap<>();
        List<Double> millis = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
            if (transactional) {
                producer.initTransactions();
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            byte[] value = new byte[recordBytes];
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            int sentCount = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(count / perSecond + 60).toNanos();
            while (millis.size() < count && System.nanoTime() < deadline) {
                if (sentCount < count && System.nanoTime() >= next) {
                    String key = "r" + sentCount++;
                    sent.put(key, System.nanoTime());
                    if (transactional) {
                        producer.beginTransaction();
                        producer.send(new ProducerRecord<>(topic, key, value));
                        producer.commitTransaction();
                    } else {
                        producer.send(new ProducerRecord<>(topic, key, value));
                    }
                    next += interval;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(1))) {
                    Long at = sent.get(record.key());
                    if (at != null) {
                        millis.add((System.nanoTime() - at) / 1e6);
                    }
                }
            }
        }
        return Percentiles.sorted(millis);
    }
}
