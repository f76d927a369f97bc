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
    /**
     * The most of a refused value a dead letter keeps: a request may be as large as the broker
     * takes, and a dead letter that the broker refuses would hold the consumer on the record.
     */
    static final int MAX_VALUE_BYTES = 64 * 1024;
    /** The most of a record's key that its dead letter keeps as its own key, for the same reason. */
    static final int MAX_KEY_CHARS = 1024;
    /** The most of a key that is no UTF-8 that its dead letter's reason quotes. */
    static final int MAX_QUOTED_KEY_BYTES = 192;

    private DeadLetterValues() {
    }

    static DeadLetter of(RequestConsumer.Received record, String reason, Instant now) {
        byte[] value = record.value();
        String why = reason;
        if (value != null && value.length > MAX_VALUE_BYTES) {
            why = reason + " (value cut to its first " + MAX_VALUE_BYTES + " of " + value.length + " bytes)";
            value = java.util.Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        String text = utf8(value);
        boolean base64 = text == null && value != null;
        return new DeadLetter(BerthRecord.SCHEMA_VERSION, now.toEpochMilli(), record.topic(), record.partition(),
                record.offset(), why, CONSUMER,
                base64 ? Base64.getEncoder().encodeToString(value) : text, base64, now);
    }

    /**
     * Why a record whose key is no UTF-8 is refused, with the key in base64 (its first
     * {@link #MAX_QUOTED_KEY_BYTES} bytes): the dead letter has no key, as the writer's keys are text.
     */
    static String keyNotUtf8(RequestConsumer.Received record) {
        byte[] key = record.unreadableKey();
        String quoted = Base64.getEncoder().encodeToString(key.length <= MAX_QUOTED_KEY_BYTES ? key
                : java.util.Arrays.copyOf(key, MAX_QUOTED_KEY_BYTES));
        return "InvalidParameterException: The record key is not valid UTF-8 (base64 " + quoted
                + (key.length > MAX_QUOTED_KEY_BYTES ? "..., " + key.length + " bytes" : "") + "): the request "
                + "id is text. No response was sent: none can be keyed by it. Send the request with the id "
                + "serialized as UTF-8 (a StringSerializer).";
    }

    /** The dead letter's key: the record's, cut to {@link #MAX_KEY_CHARS}. */
    static String key(RequestConsumer.Received record) {
        String key = record.key();
        return key == null || key.length() <= MAX_KEY_CHARS ? key : key.substring(0, MAX_KEY_CHARS);
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
