package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.DeadLetter;
import dev.berth.scheduler.messaging.RequestConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A refused request's dead letter: its reason, and its value, cut so the broker takes it. */
class DeadLetterValuesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void keepsASmallValueAsTextAndAnInvalidOneAsBase64() {
        // When
        DeadLetter text = DeadLetterValues.of(received("{oops".getBytes(StandardCharsets.UTF_8)), "bad", NOW);
        DeadLetter binary = DeadLetterValues.of(received(new byte[] {(byte) 0xff, 0x00}), "bad", NOW);

        // Then
        assertThat(text.value()).isEqualTo("{oops");
        assertThat(text.base64()).isFalse();
        assertThat(text.topic()).isEqualTo("berth.requests");
        assertThat(text.offset()).isEqualTo(7);
        assertThat(binary.value()).isEqualTo("/wA=");
        assertThat(binary.base64()).isTrue();
    }

    @Test
    void cutsAValueTooLargeForADeadLetterAndSaysSo() {
        // When
        DeadLetter letter = DeadLetterValues.of(received("x".repeat(900_000).getBytes(StandardCharsets.UTF_8)),
                "SerializationException: not JSON", NOW);

        // Then
        assertThat(letter.value()).hasSize(DeadLetterValues.MAX_VALUE_BYTES);
        assertThat(letter.reason()).startsWith("SerializationException: not JSON")
                .contains("cut to its first 65536 of 900000 bytes");
    }

    @Test
    void aKeyTooLargeForADeadLetterIsCut() {
        // When
        String key = DeadLetterValues.key(new RequestConsumer.Received("berth.requests", 2, 7, "k".repeat(900_000),
                null));

        // Then
        assertThat(key).hasSize(DeadLetterValues.MAX_KEY_CHARS);
    }

    @Test
    void aKeyThatIsNoUtf8IsQuotedInBase64AndBounded() {
        // When
        String small = DeadLetterValues.keyNotUtf8(new RequestConsumer.Received("berth.requests", 2, 7, null, null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0x80}));
        byte[] large = new byte[900_000];
        large[0] = (byte) 0xff;
        String cut = DeadLetterValues.keyNotUtf8(new RequestConsumer.Received("berth.requests", 2, 7, null, null,
                large));

        // Then
        assertThat(small).startsWith("InvalidParameterException: The record key is not valid UTF-8 (base64 "
                + "AAAAAAAAAIA=)").contains("No response was sent");
        assertThat(cut).contains("..., 900000 bytes").hasSizeLessThan(1_000);
    }

    private static RequestConsumer.Received received(byte[] value) {
        return new RequestConsumer.Received("berth.requests", 2, 7, "r-1", value);
    }
}
