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
import java.util.ArrayList;
import java.util.List;
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
    private static final Map<String, JsonNode> TREES = new ConcurrentHashMap<>();

    private PublicSchemas() {
    }

    /** The schema {@code <kind>.schema.json}: request, response or event. */
    public static JsonSchema schema(String kind) {
        return SCHEMAS.computeIfAbsent(kind, k -> {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(tree(k), config);
        });
    }

    private static JsonNode tree(String kind) {
        return TREES.computeIfAbsent(kind, k -> {
            try (InputStream in = PublicSchemas.class.getResourceAsStream("/schemas/" + k + ".schema.json")) {
                assertThat(in).as("schemas/%s.schema.json", k).isNotNull();
                return MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * The fields of {@code value}, at any depth, that the schema's {@code $defs/<def>} does not
     * declare with a type (a {@code type}, {@code enum} or {@code const}), and the arrays whose
     * items it does not declare so. Validation alone lets an undeclared field through (readers
     * must ignore what they do not know, so the schemas do not close their objects): this is
     * what makes a field Berth writes without declaring it, or an array of undeclared items,
     * fail the test that saw it, so that the schema pins the type of everything written.
     */
    public static List<String> undeclared(String kind, String def, JsonNode value) {
        JsonNode root = tree(kind);
        JsonNode schema = root.path("$defs").path(def);
        assertThat(schema.isObject()).as("schemas/%s.schema.json#/$defs/%s", kind, def).isTrue();
        List<String> out = new ArrayList<>();
        walk(root, schema, value, def, out);
        return out;
    }

    private static void walk(JsonNode root, JsonNode declared, JsonNode value, String path, List<String> out) {
        JsonNode schema = resolve(root, declared);
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            value.fields().forEachRemaining(field -> {
                String at = path + "." + field.getKey();
                JsonNode property = properties.get(field.getKey());
                if (property == null || !pinsAType(resolve(root, property))) {
                    out.add(at);
                } else {
                    walk(root, property, field.getValue(), at, out);
                }
            });
        } else if (value.isArray()) {
            JsonNode items = schema.get("items");
            if (items == null || !pinsAType(resolve(root, items))) {
                out.add(path + "[]");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                walk(root, items, value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean pinsAType(JsonNode schema) {
        return schema.has("type") || schema.has("enum") || schema.has("const");
    }

    /** The schema a local {@code $ref} ("#/$defs/...") names, or {@code schema} itself. */
    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode at = schema;
        while (at.has("$ref")) {
            String ref = at.get("$ref").asText();
            assertThat(ref).as("a local reference").startsWith("#/");
            at = root.at(ref.substring(1));
            assertThat(at.isMissingNode()).as("%s resolves", ref).isFalse();
        }
        return at;
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
