package dev.berth.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published JSON Schemas of the public topics ({@code src/main/resources/schemas/}), as
 * tests check records against them: a record that stops matching fails the test that saw it.
 */
public final class PublicSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private PublicSchemas() {
    }

    /** The schema {@code <kind>.schema.json}: request, response or event. */
    public static JsonSchema schema(String kind) {
        return SCHEMAS.computeIfAbsent(kind, k -> {
            try (InputStream in = PublicSchemas.class.getResourceAsStream("/schemas/" + k + ".schema.json")) {
                assertThat(in).as("schemas/%s.schema.json", k).isNotNull();
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                        .getSchema(MAPPER.readTree(in), config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What is wrong with {@code json} by the schema; empty when it matches. */
    public static Set<ValidationMessage> violations(String kind, String json) {
        try {
            return schema(kind).validate(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assertMatches(String kind, String json) {
        assertThat(violations(kind, json)).as("%s against schemas/%s.schema.json", json, kind).isEmpty();
    }

    public static void assertMatches(String kind, JsonNode json) {
        assertThat(schema(kind).validate(json)).as("%s against schemas/%s.schema.json", json, kind).isEmpty();
    }
}
