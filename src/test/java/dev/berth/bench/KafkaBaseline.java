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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the broker itself allows, measured in the same run as the figures: transactions of
 * desired-task-sized records from one transactional producer ({@code acks=all}, idempotent, as
 * the scheduler's leader writes), on a topic with as many partitions as berth.tasks.
 */
final class KafkaBaseline implements AutoCloseable {

    private static final String TOPIC = "bench.baseline";
    private final Properties props = new Properties();
    private final byte[] payload;
    private KafkaProducer<String, byte[]> producer;
    private int failedTransactions;

    KafkaBaseline(String bootstrap, int partitions, byte[] payload) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            if (!client.listTopics().names().get().contains(TOPIC)) {
                client.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
            }
        }
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-baseline-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.payload = payload;
        this.producer = newProducer();
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

    /** Commits one transaction; one that fails is counted and done again with a new producer. */
    private void transaction(int records) {
        while (true) {
            try {
                producer.beginTransaction();
                for (int r = 0; r < records; r++) {
                    producer.send(new ProducerRecord<>(TOPIC, UUID.randomUUID().toString(), payload));
                }
                producer.commitTransaction();
                return;
            } catch (KafkaException e) {
                failedTransactions++;
                System.out.println("[bench] baseline transaction failed, retrying with a new producer: " + e);
                producer.close();
                producer = newProducer();
            }
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> fresh = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer());
        fresh.initTransactions();
        return fresh;
    }

    /** Transactions that failed and were done again (their time is in the figures). */
    int failedTransactions() {
        return failedTransactions;
    }

    @Override
    public void close() {
        producer.close();
    }
}
