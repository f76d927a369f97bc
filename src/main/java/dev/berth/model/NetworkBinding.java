package dev.berth.model;

/** A port that a running container actually has on its host. */
public record NetworkBinding(String bindIP, Integer containerPort, Integer hostPort, String protocol) {
}
