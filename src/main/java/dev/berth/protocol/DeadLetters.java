package dev.berth.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Sets aside records that cannot be decoded or applied, on {@code berth.dead-letters}, keyed
 * by the original key, with the reason. Never throws: if even the dead letter cannot be
 * written, the record is logged and reading goes on.
 */
public final class DeadLetters {

    private static final Logger LOGGER = Logger.getLogger(DeadLetters.class);

    private final RecordPublisher publisher;
    private final Clock clock;

    public DeadLetters(RecordPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    public void setAside(ConsumerRecord<String, byte[]> record, String reason, String consumer) {
        LOGGER.warnf("Setting aside %s-%d@%d (key %s) on the dead-letter topic: %s", record.topic(),
                record.partition(), record.offset(), record.key(), reason);
        String text = utf8(record.value());
        boolean base64 = text == null && record.value() != null;
        DeadLetter letter = new DeadLetter(BerthRecord.SCHEMA_VERSION, clock.millis(), record.topic(),
                record.partition(), record.offset(), reason, consumer,
                base64 ? Base64.getEncoder().encodeToString(record.value()) : text, base64, clock.instant());
        publisher.send(Topic.DEAD_LETTERS, null, record.key(), letter).whenComplete((metadata, error) -> {
            if (error != null) {
                LOGGER.errorf("Could not write the dead letter for %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), error.getMessage());
            }
        });
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
