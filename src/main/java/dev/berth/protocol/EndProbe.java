package dev.berth.protocol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * How a {@link TopicReader} finds that it has read to the end, for a handler that wants to know
 * ({@link TopicReader.Handler#readToEnd}): every {@link #INTERVAL} it asks Kafka for the end of
 * each of its partitions, noting when it asked by the handler's clock; once its positions have
 * reached those ends, the handler holds everything Kafka held then, and is told so with that
 * time. The time is taken before the question, not when the answer is read: a process paused in
 * between, or an answer that waited in the client, never passes for fresh. On the reader's
 * thread, between two polls.
 */
final class EndProbe {

    private static final Logger LOGGER = Logger.getLogger(EndProbe.class);
    /** How often the reader asks: a handler counts on an answer a few seconds old at most. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How long the reader's thread waits for the ends: past it, it asks again at the next interval. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Clock clock;
    private Instant askedAt;
    private Map<TopicPartition, Long> ends;
    private long nextAskNanos = System.nanoTime();

    EndProbe(Clock clock) {
        this.clock = clock;
    }

    /**
     * After a poll, with the positions it published: tells the handler once they reach the ends
     * asked, and asks again when due.
     */
    void afterPoll(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> positions, TopicReader.Handler handler,
            String reader) {
        if (ends != null && TopicReader.reachedEnd(positions, ends)) {
            handler.readToEnd(askedAt);
            ends = null;
        }
        long now = System.nanoTime();
        if (ends != null || now - nextAskNanos < 0) {
            return;
        }
        nextAskNanos = now + INTERVAL.toNanos();
        Instant asking = clock.instant();
        try {
            ends = consumer.endOffsets(consumer.assignment(), TIMEOUT);
            askedAt = asking;
        } catch (TimeoutException e) {
            LOGGER.debugf("%s could not learn the end of its partitions: %s", reader, e.getMessage());
        }
    }
}
