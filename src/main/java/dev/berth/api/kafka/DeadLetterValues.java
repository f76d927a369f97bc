package dev.berth.api.kafka;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DeadLetter;
import dev.berth.scheduler.messaging.RequestConsumer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** The dead letter of a record of berth.requests that is no request. */
final class DeadLetterValues {

    static final String CONSUMER = "berth-scheduler-requests";

    private DeadLetterValues() {
    }

    static DeadLetter of(RequestConsumer.Received record, String reason, Instant now) {
        String text = utf8(record.value());
        boolean base64 = text == null && record.value() != null;
        return new DeadLetter(BerthRecord.SCHEMA_VERSION, now.toEpochMilli(), record.topic(), record.partition(),
                record.offset(), reason, CONSUMER,
                base64 ? Base64.getEncoder().encodeToString(record.value()) : text, base64, now);
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
