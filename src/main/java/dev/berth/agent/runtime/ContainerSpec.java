package dev.berth.agent.runtime;

import dev.berth.model.PortMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the runtime needs to create one container of a task, with overrides already
 * applied and ECS units already turned into the engine's ({@link ContainerSpecs}).
 *
 * @param environment        {@code NAME=value} entries, in order
 * @param cpuShares          relative CPU weight, at least 2
 * @param memoryBytes        hard limit, or null for none
 * @param memoryReservationBytes soft limit, or null for none
 * @param networkMode        {@code bridge}, {@code host} or {@code none}
 * @param labels             docker labels of the definition plus the Berth labels
 * @param host               everything else the container definition sets ({@link HostSettings})
 * @param nanoCpus           a CPU quota in billionths of a CPU, or null for none
 */
public record ContainerSpec(
        String name,
        String image,
        List<String> command,
        List<String> entryPoint,
        List<String> environment,
        int cpuShares,
        Long memoryBytes,
        Long memoryReservationBytes,
        List<PortMapping> portMappings,
        String networkMode,
        String workingDirectory,
        String user,
        String hostname,
        Map<String, String> labels,
        HostSettings host,
        Long nanoCpus) {

    /** A container with nothing beyond command, resources, ports and labels. */
    public ContainerSpec(String name, String image, List<String> command, List<String> entryPoint,
            List<String> environment, int cpuShares, Long memoryBytes, Long memoryReservationBytes,
            List<PortMapping> portMappings, String networkMode, String workingDirectory, String user, String hostname,
            Map<String, String> labels) {
        this(name, image, command, entryPoint, environment, cpuShares, memoryBytes, memoryReservationBytes,
                portMappings, networkMode, workingDirectory, user, hostname, labels, HostSettings.NONE, null);
    }

    public ContainerSpec {
        host = host == null ? HostSettings.NONE : host;
        command = List.copyOf(command);
        entryPoint = List.copyOf(entryPoint);
        environment = List.copyOf(environment);
        portMappings = List.copyOf(portMappings);
        labels = Map.copyOf(labels);
    }

    /** The same container with {@code entries} ({@code NAME=value}) before its own variables, so its own win. */
    public ContainerSpec withEnvironmentFirst(List<String> entries) {
        if (entries.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(entries);
        all.addAll(environment);
        return new ContainerSpec(name, image, command, entryPoint, all, cpuShares, memoryBytes,
                memoryReservationBytes, portMappings, networkMode, workingDirectory, user, hostname, labels, host,
                nanoCpus);
    }

    /** The same container with {@code replaced} as its host settings. */
    public ContainerSpec withHost(HostSettings replaced) {
        return new ContainerSpec(name, image, command, entryPoint, environment, cpuShares, memoryBytes,
                memoryReservationBytes, portMappings, networkMode, workingDirectory, user, hostname, labels, replaced,
                nanoCpus);
    }

    /** The task id label: which task this container belongs to. */
    public String taskId() {
        return labels.get(BerthLabels.TASK_ID);
    }

    public String instanceId() {
        return labels.get(BerthLabels.INSTANCE_ID);
    }
}
