package dev.berth.protocol;

import java.time.Instant;

/**
 * {@code berth.dead-letters}, key = the original key: a record that could not be decoded or
 * applied, set aside with the reason so the consumer can carry on. {@code value} is the
 * original value as UTF-8 text, or Base64 when it was not valid UTF-8 ({@code base64}).
 */
public record DeadLetter(
        int schemaVersion,
        long version,
        String topic,
        int partition,
        long offset,
        String reason,
        String consumer,
        String value,
        boolean base64,
        Instant failedAt) implements BerthRecord {
}
