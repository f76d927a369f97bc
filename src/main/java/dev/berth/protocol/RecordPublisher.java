package dev.berth.protocol;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes Berth records. {@link #publish} returns only once Kafka has acknowledged the write
 * ({@code acks=all}), which is what lets an API call answer "done".
 */
public final class RecordPublisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final RecordCodec codec;
    private final KafkaSettings settings;

    public RecordPublisher(KafkaClients clients, RecordCodec codec, String purpose) {
        this(clients.producer(purpose), codec, clients.settings());
    }

    /** A publisher whose records wait up to {@code linger} to be batched ({@link KafkaClients#producer(String, Duration)}). */
    public RecordPublisher(KafkaClients clients, RecordCodec codec, String purpose, Duration linger) {
        this(clients.producer(purpose, linger), codec, clients.settings());
    }

    private RecordPublisher(KafkaProducer<String, byte[]> producer, RecordCodec codec, KafkaSettings settings) {
        this.producer = producer;
        this.codec = codec;
        this.settings = settings;
    }

    /** Writes and waits for the acknowledgement; the key's default partition. */
    public RecordMetadata publish(Topic topic, String key, BerthRecord value) throws PublishException {
        return await(send(topic, null, key, value));
    }

    /** Writes to a chosen partition (berth.tasks) and waits for the acknowledgement. */
    public RecordMetadata publish(Topic topic, int partition, String key, BerthRecord value) throws PublishException {
        return await(send(topic, partition, key, value));
    }

    /** Writes without waiting, for at-least-once senders that retry on failure. */
    public CompletableFuture<RecordMetadata> send(Topic topic, Integer partition, String key, BerthRecord value) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        byte[] bytes = value == null ? null : codec.encode(value);
        try {
            producer.send(new ProducerRecord<>(topic.name(settings), partition, key, bytes), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Writes a tombstone for {@code key} and waits for the acknowledgement. */
    public RecordMetadata tombstone(Topic topic, Integer partition, String key) throws PublishException {
        return await(send(topic, partition, key, null));
    }

    /** The partition count of a topic, as the brokers know it. */
    public int partitionCount(Topic topic) {
        return producer.partitionsFor(topic.name(settings)).size();
    }

    private RecordMetadata await(CompletableFuture<RecordMetadata> sent) throws PublishException {
        try {
            return sent.get(settings.sendTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishException("Kafka did not acknowledge the write: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge the write within " + settings.sendTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(settings.sendTimeout());
    }

    /** A write that Kafka did not acknowledge: the caller must not report success. */
    public static final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
