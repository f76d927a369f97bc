package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalInstantDeserializerTest {

    /** What the records' mapper read before: the JSR-310 module alone, with the same features. */
    private final ObjectMapper moduleOnly = JsonMapper.builder().addModule(new JavaTimeModule())
            .enable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS).build();
    private final ObjectMapper records = RecordCodec.newMapper();

    record Stamped(Instant at) {
    }

    @Test
    void readsEveryTimestampAsTheTimeModuleDoes() throws Exception {
        // Given: timestamps as Berth writes them, and the other forms a producer may send
        Random random = new Random(20261201L);
        List<String> texts = new ArrayList<>(List.of("0.0", "1.5", "1733050000.123456789", "1733050000.000000001",
                "1733050000.1", "1733050000", "-1.5", "-1733050000.25", "1.0e9", "1.5E3", "1733050000.1234567891",
                "\"2026-12-01T12:00:00Z\"", "\"1733050000.5\"", "31556889864403199.999999999",
                "31556889864403200.0", "123456789012345678901.5"));
        for (int i = 0; i < 5_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
            String nanos = String.format("%09d", instant.getNano()).substring(0, 1 + random.nextInt(9));
            texts.add(instant.getEpochSecond() + "." + nanos);
        }
        for (int i = 0; i < 200; i++) {
            Instant written = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
            texts.add(records.writeValueAsString(written));
        }

        for (String text : texts) {
            String json = "{\"at\":" + text + "}";
            // When
            Object expected = read(moduleOnly, json);
            Object actual = read(records, json);

            // Then
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }

    @Test
    void whatTheRecordsMapperWritesItReadsBack() throws Exception {
        // Given
        Instant instant = Instant.ofEpochSecond(1_733_050_000L, 120_000_000);

        // When
        Stamped read = records.readValue(records.writeValueAsString(new Stamped(instant)), Stamped.class);

        // Then
        assertThat(read.at()).isEqualTo(instant);
    }

    /** The instant read, or the kind of failure: both mappers must agree on either. */
    private static Object read(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Stamped.class).at();
        } catch (Exception e) {
            return e.getClass();
        }
    }
}
