package dev.berth.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.berth.model.TaskDefinition;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every task record carries its whole task definition, and the tasks of one service or one
 * RunTask share it: a DAEMON service's pass writes the same definition 5,000 times, and a
 * scheduler that starts reads it once per task. This module of {@link RecordCodec} writes a
 * definition's JSON once per definition object and reuses the text, and reads each distinct
 * definition's JSON once and hands out the same immutable {@link TaskDefinition} for every
 * record that carries the same bytes. The JSON on Kafka is exactly what Jackson writes without
 * it, and a definition that is not among the recent ones is read and written as usual.
 *
 * <p>Both caches are small rings of recent entries, safe for the threads that encode and
 * decode in parallel: an entry is immutable and published through an atomic array.
 */
final class SharedTaskDefinitions {

    /** Recent definitions kept: more than the definitions in use at once in any one plan or poll. */
    private static final int RING = 64;

    private SharedTaskDefinitions() {
    }

    /** The module, for the codec's mapper; {@code plain} are the same conventions without it. */
    static SimpleModule module(ObjectWriter plainWriter, ObjectReader plainReader) {
        SimpleModule module = new SimpleModule("berth-shared-task-definitions");
        module.addSerializer(TaskDefinition.class, new Writer(plainWriter.forType(TaskDefinition.class)));
        module.addDeserializer(TaskDefinition.class, new Reader(plainReader.forType(TaskDefinition.class)));
        return module;
    }

    private record Written(TaskDefinition definition, String json) {
    }

    private record Read(byte[] json, int hash, TaskDefinition definition) {
    }

    /** Writes a definition's JSON once per definition object (compared by identity, not by equals). */
    static final class Writer extends StdSerializer<TaskDefinition> {
        private final transient ObjectWriter plain;
        private final transient AtomicReferenceArray<Written> ring = new AtomicReferenceArray<>(RING);
        private final transient AtomicInteger next = new AtomicInteger();

        Writer(ObjectWriter plain) {
            super(TaskDefinition.class);
            this.plain = plain;
        }

        @Override
        public void serialize(TaskDefinition definition, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            String json = null;
            for (int i = 0; i < RING && json == null; i++) {
                Written w = ring.get(i);
                if (w != null && w.definition() == definition) {
                    json = w.json();
                }
            }
            if (json == null) {
                json = plain.writeValueAsString(definition);
                ring.set(Math.floorMod(next.getAndIncrement(), RING), new Written(definition, json));
            }
            gen.writeRawValue(json);
        }
    }

    /** The bytes of the record being decoded on this thread, set by {@link RecordCodec#decode}. */
    private static final ThreadLocal<byte[]> DECODING = new ThreadLocal<>();

    /** Runs a decode of {@code bytes} on this thread, letting the reader find definitions in them. */
    static <T> T decoding(byte[] bytes, java.util.concurrent.Callable<T> decode) throws Exception {
        byte[] outer = DECODING.get();
        DECODING.set(bytes);
        try {
            return decode.call();
        } finally {
            if (outer == null) {
                DECODING.remove();
            } else {
                DECODING.set(outer);
            }
        }
    }

    /**
     * Reads a definition once per distinct JSON text. Needs the record's bytes (the codec
     * decodes a byte array); a definition read from anything else (a tree) is read as usual.
     */
    static final class Reader extends StdDeserializer<TaskDefinition> {
        private final transient ObjectReader plain;
        private final transient AtomicReferenceArray<Read> ring = new AtomicReferenceArray<>(RING);
        private final transient AtomicInteger next = new AtomicInteger();

        Reader(ObjectReader plain) {
            super(TaskDefinition.class);
            this.plain = plain;
        }

        @Override
        public TaskDefinition deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            byte[] bytes = DECODING.get();
            long start = p.currentTokenLocation().getByteOffset();
            if (bytes == null || p.currentToken() != JsonToken.START_OBJECT || start < 0
                    || start >= bytes.length || bytes[(int) start] != '{') {
                return plain.readValue(p);
            }
            p.skipChildren();
            long end = p.currentLocation().getByteOffset();
            if (end <= start || end > bytes.length || bytes[(int) end - 1] != '}') {
                throw ctxt.weirdStringException(null, TaskDefinition.class,
                        "the task definition's JSON cannot be located in the record");
            }
            int from = (int) start;
            int to = (int) end;
            int hash = hash(bytes, from, to);
            for (int i = 0; i < RING; i++) {
                Read r = ring.get(i);
                if (r != null && r.hash() == hash && Arrays.equals(r.json(), 0, r.json().length, bytes, from, to)) {
                    return r.definition();
                }
            }
            TaskDefinition definition = plain.readValue(bytes, from, to - from);
            ring.set(Math.floorMod(next.getAndIncrement(), RING),
                    new Read(Arrays.copyOfRange(bytes, from, to), hash, definition));
            return definition;
        }

        private static int hash(byte[] bytes, int from, int to) {
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + bytes[i];
            }
            return h;
        }
    }
}
