package dev.berth.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of an ECS error: {@code {"__type": "ClientException", "message": "..."}}. */
public record EcsError(@JsonProperty("__type") String type, String message) {
}
