package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a record of berth.requests is read as: a request, or a refusal that names why. */
class EcsRequestMessageTest {

    private static final Set<String> OPERATIONS = Set.of("RunTask", "ListClusters");
    private final ObjectMapper mapper = RecordCodec.newMapper();

    private EcsRequestMessage.Decoded decode(String key, String value) {
        return EcsRequestMessage.decode(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                OPERATIONS, mapper);
    }

    @Test
    void decodesAsValidExactlyWhatThePublishedRequestSchemaAccepts() {
        // Given: values at the edges of the schema, each sent under the key r-1
        List<String> values = List.of(
                "{\"operation\": \"ListClusters\", \"schemaVersion\": 1}",
                "{\"operation\": \"ListClusters\", \"schemaVersion\": 1.0}",
                "{\"operation\": \"ListClusters\", \"schemaVersion\": null}",
                "{\"operation\": \"ListClusters\", \"schemaVersion\": 2}",
                "{\"operation\": \"ListClusters\", \"schemaVersion\": \"1\"}",
                "{\"operation\": \"ListClusters\", \"request\": null}",
                "{\"operation\": \"ListClusters\", \"request\": []}",
                "{\"operation\": \"ListClusters\", \"requestId\": \"\"}",
                "{\"operation\": \"ListClusters\", \"requestId\": 5}",
                "{\"request\": {}}");

        // Then: a producer that checks its records against the served schema is never refused
        for (String value : values) {
            boolean schemaAccepts = dev.berth.api.kafka.PublicSchemas.violations("request", value).isEmpty();
            assertThat(decode("r-1", value)).as(value)
                    .matches(d -> (d instanceof EcsRequestMessage.Decoded.Valid) == schemaAccepts,
                            schemaAccepts ? "valid, as the schema accepts it" : "refused, as the schema refuses it");
        }
    }

    @Test
    void readsTheIdFromTheKeyAndTheOperationAndBody() {
        // When
        EcsRequestMessage.Decoded decoded = decode("r-1",
                "{\"schemaVersion\":1,\"operation\":\"RunTask\",\"request\":{\"cluster\":\"c\"}}");

        // Then
        assertThat(decoded).isInstanceOfSatisfying(EcsRequestMessage.Decoded.Valid.class, v -> {
            assertThat(v.requestId()).isEqualTo("r-1");
            assertThat(v.operation()).isEqualTo("RunTask");
            assertThat(v.request().path("cluster").asText()).isEqualTo("c");
        });
    }

    @Test
    void takesTheIdFromTheValueTheWholeTargetAndNoBody() {
        // When
        EcsRequestMessage.Decoded decoded = decode(null,
                "{\"requestId\":\"r-2\",\"operation\":\"AmazonEC2ContainerServiceV20141113.ListClusters\"}");

        // Then
        assertThat(decoded).isInstanceOfSatisfying(EcsRequestMessage.Decoded.Valid.class, v -> {
            assertThat(v.requestId()).isEqualTo("r-2");
            assertThat(v.operation()).isEqualTo("ListClusters");
            assertThat(v.request().isObject()).isTrue();
            assertThat(v.request().size()).isZero();
        });
    }

    @Test
    void refusesWhatIsNoRequestNamingWhyAndKeepingTheIdWhenThereIsOne() {
        assertThat(invalid("r", null)).isEqualTo(new EcsRequestMessage.Decoded.Invalid("r", "SerializationException",
                "The record has no value: expected a JSON object with 'operation' and 'request'."));
        assertThat(invalid("r", "{nope").errorType()).isEqualTo("SerializationException");
        assertThat(invalid("r", "[1]").reason()).contains("not a JSON object");
        assertThat(invalid(null, "{\"operation\":\"RunTask\"}"))
                .satisfies(i -> assertThat(i.requestId()).isNull())
                .satisfies(i -> assertThat(i.reason()).contains("Missing request id"));
        assertThat(invalid("a", "{\"requestId\":\"b\",\"operation\":\"RunTask\"}").reason()).contains("differ");
        assertThat(invalid("r", "{\"requestId\":5,\"operation\":\"RunTask\"}").reason())
                .contains("'requestId' must be a string");
        assertThat(invalid("r", "{\"operation\":\"Launch\"}").errorType()).isEqualTo("UnknownOperationException");
        assertThat(invalid("r", "{\"operation\":7}").reason()).contains("Missing 'operation'");
        assertThat(invalid("r", "{\"operation\":\"RunTask\",\"request\":\"x\"}").reason())
                .contains("'request' must be a JSON object");
        assertThat(invalid("r", "{\"operation\":\"RunTask\",\"request\":\"x\"}").operation())
                .as("the operation it names, for the response").isEqualTo("RunTask");
        assertThat(invalid("r", "{\"schemaVersion\":2,\"operation\":\"AmazonEC2ContainerServiceV20141113.RunTask\"}")
                .operation()).isEqualTo("RunTask");
        assertThat(invalid("r", "{\"operation\":\"Launch\"}").operation()).isNull();
        assertThat(invalid("r", "{\"schemaVersion\":2,\"operation\":\"RunTask\"}").reason())
                .contains("Unsupported 'schemaVersion'");
    }

    @Test
    void refusesAnIdLongerThan256CharactersKeepingItToAnswerUnder() {
        // Given
        String id = "x".repeat(257);

        // When
        EcsRequestMessage.Decoded.Invalid tooLong = invalid(id, "{\"operation\":\"RunTask\"}");

        // Then: refused, with the id as given, so that the refusal is answered under it
        assertThat(tooLong.requestId()).isEqualTo(id);
        assertThat(tooLong.errorType()).isEqualTo("InvalidParameterException");
        assertThat(tooLong.reason()).contains("longer than 256 characters");
        // as are the records refused before their id is looked at
        assertThat(invalid(id, null).requestId()).isEqualTo(id);
        assertThat(invalid(id, "{nope").requestId()).isEqualTo(id);
        assertThat(invalid(null, "{\"requestId\":\"" + id + "\",\"operation\":\"RunTask\"}").requestId())
                .isEqualTo(id);
    }

    @Test
    void aRefusalQuotesABoundedPartOfWhatItRefuses() {
        // Given: fields of a record as large as the broker takes
        String huge = "X".repeat(1_000_000);

        // Then: the reasons, which go into a response and a dead letter, stay small
        assertThat(invalid("r", "{\"operation\":\"" + huge + "\"}").reason())
                .startsWith("Unknown operation XXX").contains("(1000000 characters)").hasSizeLessThan(1_000);
        assertThat(invalid("r", "{\"requestId\":\"" + huge + "\",\"operation\":\"RunTask\"}").reason())
                .contains("differ").hasSizeLessThan(1_000);
        assertThat(invalid("r", "{\"schemaVersion\":\"" + huge + "\",\"operation\":\"RunTask\"}").reason())
                .contains("Unsupported 'schemaVersion'").hasSizeLessThan(1_000);
    }

    private EcsRequestMessage.Decoded.Invalid invalid(String key, String value) {
        EcsRequestMessage.Decoded decoded = decode(key, value);
        assertThat(decoded).isInstanceOf(EcsRequestMessage.Decoded.Invalid.class);
        return (EcsRequestMessage.Decoded.Invalid) decoded;
    }
}
