package dev.berth.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads the timestamps that Berth writes, decimal epoch seconds with up to nine digits of
 * fraction ({@code 1733050000.123456789}), straight from the number's text. The JSR-310
 * module reads them through a {@link java.math.BigDecimal}, which took a fifth of the decoding
 * time of a scheduler replaying its topics at start. Anything else (an integer, a string, an
 * exponent, a sign, more than nine fraction digits) goes to the module's own deserializer, so
 * the result is the same as before for every input.
 */
final class DecimalInstantDeserializer extends StdScalarDeserializer<Instant> {

    private static final int NANO_DIGITS = 9;
    /** More integer digits than this could overflow a long: left to the module. */
    private static final int MAX_SECOND_DIGITS = 18;

    DecimalInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            Instant read = parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            if (read != null) {
                return read;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }

    /** The instant that {@code seconds.fraction} names, or null when the text has another form. */
    static Instant parse(char[] text, int offset, int length) {
        int end = offset + length;
        int i = offset;
        long seconds = 0;
        int secondDigits = 0;
        while (i < end && text[i] != '.') {
            char c = text[i++];
            if (c < '0' || c > '9' || ++secondDigits > MAX_SECOND_DIGITS) {
                return null;
            }
            seconds = seconds * 10 + (c - '0');
        }
        if (secondDigits == 0 || i == end || seconds > Instant.MAX.getEpochSecond()) {
            return null;
        }
        i++;
        int nanos = 0;
        int fractionDigits = 0;
        while (i < end) {
            char c = text[i++];
            if (c < '0' || c > '9' || ++fractionDigits > NANO_DIGITS) {
                return null;
            }
            nanos = nanos * 10 + (c - '0');
        }
        if (fractionDigits == 0) {
            return null;
        }
        for (int d = fractionDigits; d < NANO_DIGITS; d++) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
