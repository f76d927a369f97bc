package dev.berth.scheduler.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What the leader's own consumers ({@link EventStream}, {@link RequestConsumer}) share: they
 * run until closed, wait between tries in pauses that closing cuts short, stop when their
 * thread is interrupted, and each leadership term opens a consumer on every partition of its
 * topics and closes it without waiting.
 */
final class LeaderLoop implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(LeaderLoop.class);

    private volatile boolean running = true;

    boolean running() {
        return running;
    }

    /** Waits for {@code delay}, or less if the loop is closed meanwhile. */
    synchronized void pause(Duration delay) {
        if (!running) {
            return;
        }
        try {
            wait(delay.toMillis());
        } catch (InterruptedException e) {
            interrupted();
        }
    }

    /** The loop's thread was interrupted: it keeps the flag and stops. */
    void interrupted() {
        Thread.currentThread().interrupt();
        running = false;
    }

    @Override
    public synchronized void close() {
        running = false;
        notifyAll();
    }

    /** Every partition of {@code topics}, as the consumer's metadata has them now. */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return partitions;
    }

    /** Closes a term's consumer at once; one that fails to close is dropped all the same. */
    static void closeNow(KafkaConsumer<?, ?> consumer, String what) {
        try {
            consumer.close(Duration.ZERO);
        } catch (KafkaException e) {
            LOGGER.debugf("Closing the %s consumer: %s", what, e.getMessage());
        }
    }
}
