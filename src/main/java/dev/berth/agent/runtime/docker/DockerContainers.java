package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.model.PortMapping;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Translates between Berth's runtime types and docker-java's. Pure. */
final class DockerContainers {

    /** Docker's zero time, which it reports for "never" (e.g. a container that never started). */
    private static final String ZERO_TIME_PREFIX = "0001-01-01";

    private DockerContainers() {
    }

    static CreateContainerCmd fill(CreateContainerCmd cmd, ContainerSpec spec) {
        cmd.withName(spec.name())
                .withLabels(spec.labels())
                .withEnv(spec.environment());
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        if (!spec.entryPoint().isEmpty()) {
            cmd.withEntrypoint(spec.entryPoint());
        }
        if (spec.workingDirectory() != null) {
            cmd.withWorkingDir(spec.workingDirectory());
        }
        if (spec.user() != null) {
            cmd.withUser(spec.user());
        }
        if (spec.hostname() != null) {
            cmd.withHostName(spec.hostname());
        }
        HostConfig host = HostConfig.newHostConfig()
                .withCpuShares(spec.cpuShares())
                .withNetworkMode(spec.networkMode());
        if (spec.memoryBytes() != null) {
            host.withMemory(spec.memoryBytes());
        }
        if (spec.memoryReservationBytes() != null) {
            host.withMemoryReservation(spec.memoryReservationBytes());
        }
        if (spec.nanoCpus() != null) {
            host.withNanoCPUs(spec.nanoCpus());
        }
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (PortMapping mapping : spec.portMappings()) {
            if (mapping.containerPort() == null) {
                continue;
            }
            ExposedPort port = new ExposedPort(mapping.containerPort(),
                    InternetProtocol.parse(mapping.protocolOrDefault().toLowerCase(Locale.ROOT)));
            exposed.add(port);
            // An empty binding asks Docker for an ephemeral host port, as hostPort 0 does in ECS.
            bindings.bind(port, mapping.hasStaticHostPort() ? Ports.Binding.bindPort(mapping.hostPort())
                    : Ports.Binding.empty());
        }
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(exposed);
            host.withPortBindings(bindings);
        }
        DockerHostSettings.apply(cmd, host, spec);
        return cmd.withHostConfig(host);
    }

    static RuntimeContainer toRuntimeContainer(InspectContainerResponse response) {
        InspectContainerResponse.ContainerState state = response.getState();
        ContainerStatus status = status(state);
        Map<String, String> labels = response.getConfig() == null ? Map.of() : response.getConfig().getLabels();
        Integer exitCode = status == ContainerStatus.STOPPED && state.getExitCodeLong() != null
                ? Integer.valueOf(state.getExitCodeLong().intValue()) : null;
        String error = state.getError() == null || state.getError().isBlank() ? null : state.getError();
        return new RuntimeContainer(
                response.getId(),
                stripSlash(response.getName()),
                response.getConfig() == null ? null : response.getConfig().getImage(),
                response.getImageId(),
                labels,
                status,
                exitCode,
                error,
                isHostNetwork(response) ? hostNetworkBindings(response) : networkBindings(response.getNetworkSettings()),
                time(response.getCreated()),
                time(state.getStartedAt()),
                status == ContainerStatus.STOPPED ? time(state.getFinishedAt()) : null,
                health(state),
                Boolean.TRUE.equals(state.getOOMKilled()),
                mounts(response.getMounts()));
    }

    /** Docker's Mounts: a bind mount has no name, a volume has its own. */
    private static List<RuntimeContainer.Mount> mounts(List<InspectContainerResponse.Mount> mounts) {
        if (mounts == null) {
            return List.of();
        }
        return mounts.stream().map(DockerContainers::mount).toList();
    }

    private static RuntimeContainer.Mount mount(InspectContainerResponse.Mount mount) {
        String name = mount.getName() == null || mount.getName().isBlank() ? null : mount.getName();
        String destination = mount.getDestination() == null ? null : mount.getDestination().getPath();
        return new RuntimeContainer.Mount(name, mount.getSource(), destination);
    }

    /** Docker's health check result; null when the container has no health check. */
    private static HealthStatus health(InspectContainerResponse.ContainerState state) {
        if (state.getHealth() == null || state.getHealth().getStatus() == null) {
            return null;
        }
        switch (state.getHealth().getStatus()) {
            case "healthy":
                return HealthStatus.HEALTHY;
            case "unhealthy":
                return HealthStatus.UNHEALTHY;
            default:
                return HealthStatus.UNKNOWN;
        }
    }

    private static boolean isHostNetwork(InspectContainerResponse response) {
        return response.getHostConfig() != null && "host".equals(response.getHostConfig().getNetworkMode());
    }

    /**
     * In host mode the container binds its ports on the host itself and Docker reports no
     * bindings: each exposed port is bound at the same number, as ECS reports it.
     */
    private static List<NetworkBinding> hostNetworkBindings(InspectContainerResponse response) {
        List<NetworkBinding> result = new ArrayList<>();
        ExposedPort[] exposed = response.getConfig() == null ? null : response.getConfig().getExposedPorts();
        if (exposed == null || response.getState() == null || !Boolean.TRUE.equals(response.getState().getRunning())) {
            return result;
        }
        for (ExposedPort port : exposed) {
            result.add(new NetworkBinding("0.0.0.0", port.getPort(), port.getPort(), port.getProtocol().toString()));
        }
        return result;
    }

    private static ContainerStatus status(InspectContainerResponse.ContainerState state) {
        String status = state.getStatus() == null ? "" : state.getStatus();
        switch (status) {
            case "created":
                return ContainerStatus.PENDING;
            case "running":
            case "paused":
            case "restarting":
                return ContainerStatus.RUNNING;
            case "removing":
            case "exited":
            case "dead":
                return ContainerStatus.STOPPED;
            default:
                return Boolean.TRUE.equals(state.getRunning()) ? ContainerStatus.RUNNING : ContainerStatus.STOPPED;
        }
    }

    private static List<NetworkBinding> networkBindings(NetworkSettings settings) {
        List<NetworkBinding> result = new ArrayList<>();
        if (settings == null || settings.getPorts() == null) {
            return result;
        }
        for (var entry : settings.getPorts().getBindings().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            List<NetworkBinding> ipv4 = new ArrayList<>();
            List<NetworkBinding> ipv6 = new ArrayList<>();
            for (Ports.Binding binding : entry.getValue()) {
                Integer hostPort = port(binding.getHostPortSpec());
                if (hostPort != null) {
                    String ip = binding.getHostIp() == null || binding.getHostIp().isBlank() ? "0.0.0.0"
                            : binding.getHostIp();
                    (ip.contains(":") ? ipv6 : ipv4).add(new NetworkBinding(ip, entry.getKey().getPort(), hostPort,
                            entry.getKey().getProtocol().toString()));
                }
            }
            // Docker publishes a port on 0.0.0.0 and on :: alike; ECS's agent reports the IPv6
            // twin only on a host without IPv4 (ECS_EXCLUDE_IPV6_PORTBINDING, true by default).
            result.addAll(ipv4.isEmpty() ? ipv6 : ipv4);
        }
        return result;
    }

    private static Integer port(String spec) {
        try {
            return spec == null || spec.isBlank() ? null : Integer.valueOf(spec);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant time(String text) {
        if (text == null || text.isBlank() || text.startsWith(ZERO_TIME_PREFIX)) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }
}
