package dev.berth.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Host ports no task may bind, as {@code ECS_RESERVED_PORTS} and {@code ECS_RESERVED_PORTS_UDP}
 * give them: the ECS agent's JSON array ({@code [22, 2375]}) or Berth's comma list
 * ({@code 22,2375}). Every item is a port from 1 to 65535. The ECS agent decodes the array into
 * 16-bit numbers and ignores a list it cannot decode, with a warning, taking its default; Berth
 * refuses anything else (a port out of range, a bracket missing, a number with a fraction, data
 * after the array), which stops start-up naming the setting. It refuses port 0 too, which the
 * ECS agent takes but which names no port. A list of no ports from an ECS name is not set
 * ({@link EcsUnsetValues}).
 */
public record ReservedPorts(Set<Integer> ports) {

    private static final int HIGHEST_PORT = 65_535;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public ReservedPorts {
        ports = Set.copyOf(ports);
    }

    /** The converter of {@code berth.agent.reserved-ports}. */
    public static final class Tcp implements Converter<ReservedPorts> {
        @Override
        public ReservedPorts convert(String value) {
            return parse("ECS_RESERVED_PORTS", value);
        }
    }

    /** The converter of {@code berth.agent.reserved-ports-udp}. */
    public static final class Udp implements Converter<ReservedPorts> {
        @Override
        public ReservedPorts convert(String value) {
            return parse("ECS_RESERVED_PORTS_UDP", value);
        }
    }

    static ReservedPorts parse(String setting, String value) {
        String text = value.strip();
        Set<Integer> ports = new TreeSet<>();
        if (text.startsWith("[")) {
            for (JsonNode item : jsonArray(setting, text)) {
                if (!item.isIntegralNumber()) {
                    throw refused(setting, text, item + " is not a whole number");
                }
                ports.add(port(setting, text, item.canConvertToInt() ? item.intValue() : -1, item.toString()));
            }
        } else {
            for (String item : text.split(",", -1)) {
                ports.add(port(setting, text, parseInt(item.strip()), item.strip()));
            }
        }
        return new ReservedPorts(ports);
    }

    private static JsonNode jsonArray(String setting, String text) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw refused(setting, text, "it is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isArray()) {
            throw refused(setting, text, "it is not a JSON array");
        }
        return tree;
    }

    private static int port(String setting, String text, int port, String item) {
        if (port < 1 || port > HIGHEST_PORT) {
            throw refused(setting, text, (item.isEmpty() ? "an empty item" : item) + " is not a port from 1 to "
                    + HIGHEST_PORT);
        }
        return port;
    }

    /** The number {@code item} writes in decimal digits, else -1. */
    private static int parseInt(String item) {
        if (item.isEmpty() || item.length() > 5 || !item.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(item);
    }

    private static IllegalArgumentException refused(String setting, String text, String why) {
        return new IllegalArgumentException(setting + " must be a JSON array of ports such as [22, 2375] or a comma "
                + "list such as 22,2375, not " + text + ": " + why);
    }
}
