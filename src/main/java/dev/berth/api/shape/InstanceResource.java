package dev.berth.api.shape;

import java.util.List;

/** ECS {@code Resource} of a container instance: CPU, MEMORY (INTEGER) or PORTS (STRINGSET). */
public record InstanceResource(
        String name,
        String type,
        Double doubleValue,
        Long longValue,
        Integer integerValue,
        List<String> stringSetValue) {

    public static InstanceResource integer(String name, int value) {
        return new InstanceResource(name, "INTEGER", 0.0, 0L, value, null);
    }

    public static InstanceResource stringSet(String name, List<String> values) {
        return new InstanceResource(name, "STRINGSET", 0.0, 0L, 0, values);
    }
}
