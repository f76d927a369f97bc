package dev.berth.bench;

import dev.berth.protocol.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs records through the broker that this benchmark's JVM hosts, as a long-running broker
 * has run them, before anything is measured: a freshly started broker's JVM has compiled
 * little of its produce and fetch paths yet, and each record's hop then costs several times
 * what it costs the same broker a minute later. The records go one small window at a time
 * on a topic of their own, so that both the single-record and the batched paths are taken.
 */
final class BrokerWarmUp {

    static final String TOPIC = "bench.broker-warm-up";
    private static final int WINDOW = 8;
    private static final Duration POLL = Duration.ofMillis(5);

    private BrokerWarmUp() {
    }

    /** Sends and reads back {@code records} records; returns the milliseconds it took. */
    static double run(KafkaClients clients, int records) throws Exception {
        long started = System.nanoTime();
        try (Admin admin = clients.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        byte[] value = new byte[2_000];
        try (KafkaProducer<String, byte[]> producer = clients.producer("warm-up", Duration.ZERO);
                KafkaConsumer<String, byte[]> consumer = clients.consumer("warm-up")) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            int sent = 0;
            while (read < records) {
                List<Future<?>> window = new ArrayList<>(WINDOW);
                for (int i = 0; i < WINDOW && sent < records; i++, sent++) {
                    window.add(producer.send(new ProducerRecord<>(TOPIC, "w" + sent, value)));
                }
                for (Future<?> ack : window) {
                    ack.get();
                }
                while (read < sent) {
                    for (ConsumerRecord<String, byte[]> ignored : consumer.poll(POLL)) {
                        read++;
                    }
                }
            }
        }
        return (System.nanoTime() - started) / 1e6;
    }
}
