package dev.berth.agent.capacity;

import dev.berth.model.Resources;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The capacity and attributes a container instance registers, computed from
 * {@link HostFacts} as the ECS agent does: CPU is 1024 units per logical core, memory is
 * the total in MiB less the reserved memory, and the reserved TCP and UDP ports are taken
 * from the start.
 */
public record HostCapacity(Resources resources, Map<String, String> attributes, String hostname) {

    public static final int CPU_UNITS_PER_CORE = 1024;
    private static final long MIB = 1024L * 1024L;

    /**
     * @param reservedPorts    TCP host ports no task may bind ({@code ECS_RESERVED_PORTS}): PORTS
     * @param reservedPortsUdp UDP host ports no task may bind ({@code ECS_RESERVED_PORTS_UDP}): PORTS_UDP
     */
    public static HostCapacity of(HostFacts facts, int reservedMemoryMiB, Set<Integer> reservedPorts,
            Set<Integer> reservedPortsUdp) {
        int cpu = facts.logicalCores() * CPU_UNITS_PER_CORE;
        long memory = Math.max(0, facts.totalMemoryBytes() / MIB - reservedMemoryMiB);
        Resources resources = new Resources(cpu, (int) Math.min(Integer.MAX_VALUE, memory), reservedPorts,
                reservedPortsUdp);
        return new HostCapacity(resources, attributes(facts), facts.hostname());
    }

    /** The same capacity with custom attributes added ({@code ECS_INSTANCE_ATTRIBUTES}); the host's own win. */
    public HostCapacity withCustomAttributes(Map<String, String> custom) {
        Map<String, String> all = new TreeMap<>(custom);
        all.putAll(attributes);
        return new HostCapacity(resources, all, hostname);
    }

    /** The same capacity with the agent's capability attributes ({@link AgentCapabilities}) added. */
    public HostCapacity withCapabilities(Map<String, String> capabilities) {
        Map<String, String> all = new TreeMap<>(attributes);
        all.putAll(capabilities);
        return new HostCapacity(resources, all, hostname);
    }

    static Map<String, String> attributes(HostFacts facts) {
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("ecs.os-type", "linux");
        attributes.put("ecs.os-family", "LINUX");
        attributes.put("ecs.cpu-architecture", cpuArchitecture(facts.architecture()));
        putIfPresent(attributes, "berth.os-name", facts.osFamily());
        putIfPresent(attributes, "berth.kernel-version", facts.kernelVersion());
        putIfPresent(attributes, "berth.hostname", facts.hostname());
        return attributes;
    }

    /** ECS's names for the CPU architecture attribute. */
    static String cpuArchitecture(String osArch) {
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "arm64";
            default:
                return arch;
        }
    }

    private static void putIfPresent(Map<String, String> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.put(name, value);
        }
    }
}
