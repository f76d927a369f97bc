package dev.berth.model;

/**
 * A container port published on the host. A {@code hostPort} of 0 or null asks for an
 * ephemeral host port (bridge mode), as in ECS.
 */
public record PortMapping(Integer containerPort, Integer hostPort, String protocol) {

    public String protocolOrDefault() {
        return protocol == null || protocol.isBlank() ? "tcp" : protocol;
    }

    public boolean hasStaticHostPort() {
        return hostPort != null && hostPort > 0;
    }
}
