package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * One container of a task definition, in the ECS shape. Only the fields Berth acts on are
 * modelled; cpu is in CPU units (1024 = one core), memory and memoryReservation in MiB. The
 * other ECS fields the caller registered ({@code logConfiguration}, {@code healthCheck},
 * {@code mountPoints}, ...) are kept as received in {@code unmodelled}, written back in place,
 * so DescribeTaskDefinition returns what was registered; {@link ContainerSettings} reads them
 * as typed values.
 */
public record ContainerDefinition(
        String name,
        String image,
        Integer cpu,
        Integer memory,
        Integer memoryReservation,
        Boolean essential,
        List<String> command,
        List<String> entryPoint,
        List<KeyValuePair> environment,
        List<PortMapping> portMappings,
        String workingDirectory,
        String user,
        String hostname,
        Map<String, String> dockerLabels,
        Integer stopTimeout,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> unmodelled) {

    /** A container definition with only the fields Berth acts on. */
    public ContainerDefinition(String name, String image, Integer cpu, Integer memory, Integer memoryReservation,
            Boolean essential, List<String> command, List<String> entryPoint, List<KeyValuePair> environment,
            List<PortMapping> portMappings, String workingDirectory, String user, String hostname,
            Map<String, String> dockerLabels, Integer stopTimeout) {
        this(name, image, cpu, memory, memoryReservation, essential, command, entryPoint, environment, portMappings,
                workingDirectory, user, hostname, dockerLabels, stopTimeout, null);
    }

    /** ECS treats a container as essential unless told otherwise. */
    public boolean essentialOrDefault() {
        return essential == null || essential;
    }

    public int cpuOrZero() {
        return cpu == null ? 0 : cpu;
    }

    /**
     * The memory a container reserves on its instance: the soft limit when there is one,
     * else the hard limit (ECS placement rule).
     */
    public int reservedMemory() {
        if (memoryReservation != null) {
            return memoryReservation;
        }
        return memory == null ? 0 : memory;
    }

    public List<String> commandOrEmpty() {
        return command == null ? List.of() : command;
    }

    public List<String> entryPointOrEmpty() {
        return entryPoint == null ? List.of() : entryPoint;
    }

    public List<KeyValuePair> environmentOrEmpty() {
        return environment == null ? List.of() : environment;
    }

    public List<PortMapping> portMappingsOrEmpty() {
        return portMappings == null ? List.of() : portMappings;
    }
}
