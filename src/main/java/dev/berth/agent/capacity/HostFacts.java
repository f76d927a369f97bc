package dev.berth.agent.capacity;

/**
 * What the agent reads off its host once at start: the inputs of {@link HostCapacity}.
 *
 * @param architecture the JVM's {@code os.arch} ({@code amd64}, {@code aarch64}, ...)
 */
public record HostFacts(
        int logicalCores,
        long totalMemoryBytes,
        String architecture,
        String osFamily,
        String kernelVersion,
        String hostname) {
}
