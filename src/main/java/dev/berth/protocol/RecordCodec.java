package dev.berth.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON encoding of {@link BerthRecord}s. Decoding never throws: it says whether the bytes
 * were a record, a type this version does not know (skip it), or poison (dead-letter it).
 */
public final class RecordCodec {

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public RecordCodec() {
        ObjectMapper plain = newMapper();
        this.mapper = newMapper().registerModule(SharedTaskDefinitions.module(plain.writer(), plain.reader()));
        this.reader = mapper.readerFor(BerthRecord.class);
        this.writer = mapper.writerFor(BerthRecord.class);
    }

    /**
     * The JSON conventions of Berth, shared by Kafka records and the ECS API: absent values
     * are omitted, unknown fields are ignored (newer writers), timestamps are epoch seconds.
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // After the module, so that its Instant deserializer is the one found first.
                .addModule(new SimpleModule("berth-instants").addDeserializer(Instant.class,
                        new DecimalInstantDeserializer()))
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .enable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .build();
    }

    public byte[] encode(BerthRecord value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public Decoded decode(byte[] bytes) {
        if (bytes == null) {
            return new Decoded.Tombstone();
        }
        try {
            // The common case, a record of a known type, is parsed once; anything else is
            // looked at again below to say what it is.
            BerthRecord value = SharedTaskDefinitions.decoding(bytes, () -> reader.readValue(bytes));
            if (value != null && value.schemaVersion() >= 1) {
                return new Decoded.Record(value);
            }
        } catch (Exception e) {
            // classified below
        }
        try {
            JsonNode tree = mapper.readTree(bytes);
            if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
                return new Decoded.Poison("not a Berth record: no \"type\" field");
            }
            BerthRecord value = mapper.treeToValue(tree, BerthRecord.class);
            if (value == null) {
                return new Decoded.Unknown();
            }
            if (value.schemaVersion() < 1) {
                return new Decoded.Poison("schemaVersion missing or invalid: " + value.schemaVersion());
            }
            return new Decoded.Record(value);
        } catch (IOException | RuntimeException e) {
            return new Decoded.Poison("undecodable record: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The outcome of decoding one Kafka value. */
    public sealed interface Decoded {
        /** A record of a type this version knows. */
        record Record(BerthRecord value) implements Decoded {
        }

        /** A well-formed record of a type this version does not know: skip it. */
        record Unknown() implements Decoded {
        }

        /** A null value: the key's entity is gone. */
        record Tombstone() implements Decoded {
        }

        /** Bytes that are not a Berth record: set them aside with the reason. */
        record Poison(String reason) implements Decoded {
        }
    }
}
