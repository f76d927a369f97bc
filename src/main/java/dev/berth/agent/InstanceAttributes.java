package dev.berth.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Custom attributes of this container instance, as the ECS agent's
 * {@code ECS_INSTANCE_ATTRIBUTES} gives them: a JSON object of strings
 * ({@code {"stack": "prod", "team": "payments"}}), registered with the host's own attributes
 * so that {@code memberOf(attribute:stack == prod)} constraints can pick the host. Names and
 * values follow ECS's rules for attributes; the {@code ecs.} prefix is the agent's own. A
 * value that breaks them stops start-up with a message naming the setting.
 */
public record InstanceAttributes(Map<String, String> values) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./\\\\-]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.@/\\\\: -]{1,128}");
    /** Refuses data after the object, as Go's json.Unmarshal does, rather than dropping it. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String SETTING = "ECS_INSTANCE_ATTRIBUTES";

    public InstanceAttributes {
        values = Map.copyOf(values);
    }

    public static final InstanceAttributes NONE = new InstanceAttributes(Map.of());

    /** Reads the setting; the converter of {@code berth.agent.instance-attributes}. */
    public static final class Parser implements Converter<InstanceAttributes> {
        @Override
        public InstanceAttributes convert(String value) {
            return parse(value);
        }
    }

    static InstanceAttributes parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw refused("is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw refused("must be a JSON object such as {\"stack\": \"prod\"}");
        }
        Map<String, String> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!NAME.matcher(name).matches()) {
                throw refused("has an attribute name \"" + name + "\" that is not 1-128 letters, digits, "
                        + "hyphens, underscores, periods or slashes");
            }
            if (name.startsWith("ecs.")) {
                throw refused("names \"" + name + "\": attributes starting with ecs. are the agent's own");
            }
            if (!field.getValue().isTextual()) {
                throw refused("gives \"" + name + "\" a value that is not a string");
            }
            String text = field.getValue().asText();
            if (!VALUE.matcher(text).matches() || !text.equals(text.strip())) {
                throw refused("gives \"" + name + "\" the value \"" + text + "\", which is not 1-128 letters, "
                        + "digits, hyphens, underscores, periods, at signs, slashes, colons or inner spaces");
            }
            values.put(name, text);
        }
        return new InstanceAttributes(values);
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(SETTING + " " + why);
    }
}
