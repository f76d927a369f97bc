package dev.berth.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the broker itself allows, measured in the same run as the figures: transactions of
 * desired-task-sized records from one transactional producer ({@code acks=all}, idempotent, as
 * the scheduler's leader writes), on a topic with as many partitions as berth.tasks.
 */
final class KafkaBaseline implements AutoCloseable {

    private static final String TOPIC = "bench.baseline";
    private final KafkaProducer<String, byte[]> producer;
    private final byte[] payload;

    KafkaBaseline(String bootstrap, int partitions, byte[] payload) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            if (!client.listTopics().names().get().contains(TOPIC)) {
                client.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-baseline-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.producer.initTransactions();
        this.payload = payload;
    }

    /** Records per second committed by {@code transactions} transactions, one after the other. */
    double recordsPerSecond(int transactions, int recordsPerTransaction) {
        long start = System.nanoTime();
        for (int t = 0; t < transactions; t++) {
            transaction(recordsPerTransaction);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return transactions * (double) recordsPerTransaction / seconds;
    }

    /** How long each of {@code count} one-record transactions took to commit, in ms, sorted. */
    double[] commitMillis(int count) {
        double[] millis = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            transaction(1);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    private void transaction(int records) {
        producer.beginTransaction();
        for (int r = 0; r < records; r++) {
            producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), payload));
        }
        producer.commitTransaction();
    }

    @Override
    public void close() {
        producer.close();
    }
}
