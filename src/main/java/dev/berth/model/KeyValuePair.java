package dev.berth.model;

/** A name/value pair, as ECS uses for environment variables and attributes. */
public record KeyValuePair(String name, String value) {
}
