package dev.berth.model;

import java.util.List;

/** An ECS tag: a key and an optional value, kept on clusters, task definitions, tasks, services and instances. */
public record Tag(String key, String value) {

    /** A resource's tags as records keep them: never null. */
    public static List<Tag> listOf(List<Tag> tags) {
        return tags == null ? List.of() : List.copyOf(tags);
    }
}
