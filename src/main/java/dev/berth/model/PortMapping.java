package dev.berth.model;

/**
 * A container port published on the host. A {@code hostPort} of 0 or null asks for an
 * ephemeral host port (bridge mode), as in ECS. {@code name} and {@code appProtocol} are kept
 * and described back, as the ECS console writes them on every mapping; in ECS only Service
 * Connect reads them, and nothing in Berth does.
 */
public record PortMapping(Integer containerPort, Integer hostPort, String protocol, String name,
        String appProtocol) {

    public PortMapping(Integer containerPort, Integer hostPort, String protocol) {
        this(containerPort, hostPort, protocol, null, null);
    }

    public String protocolOrDefault() {
        return protocol == null || protocol.isBlank() ? "tcp" : protocol;
    }

    public boolean hasStaticHostPort() {
        return hostPort != null && hostPort > 0;
    }
}
