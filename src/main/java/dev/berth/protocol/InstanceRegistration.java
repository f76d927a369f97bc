package dev.berth.protocol;

import dev.berth.model.Resources;
import java.time.Instant;
import java.util.Map;

/**
 * {@code berth.instances}, key instance id, written by the agent: the registration of a
 * container instance, re-sent as its heartbeat. The scheduler derives {@code agentConnected}
 * from when the record reached it (or Kafka's log-append time during its replay), never from
 * {@code heartbeatAt}, which is the agent's clock; an agent that stops cleanly sends a last
 * record with {@code shuttingDown} so that it shows disconnected at once.
 *
 * <p>{@code remainingResources} is what the agent's own ledger has left when it sent the
 * record (null from agents before it kept one); {@code dockerVersion} is the engine's version
 * as the agent last read it.
 *
 * <p>{@code agentSession} is a random id that the agent takes each time it starts, so that two
 * agents reporting as one instance differ even when they say the same under the same versions
 * ({@code dev.berth.scheduler.state.SharedInstances}); null from agents before it was sent.
 *
 * <p>{@code runtimeHealth} is whether the Docker engine answered the agent's last call, and
 * since when that has been so (the agent's clock): DescribeContainerInstances answers it as
 * ECS's {@code CONTAINER_RUNTIME} health check. Null before the agent's first call, and from
 * agents before it was sent.
 */
public record InstanceRegistration(
        int schemaVersion,
        long version,
        String instanceId,
        String cluster,
        String hostname,
        String agentVersion,
        Resources registeredResources,
        Map<String, String> attributes,
        Instant registeredAt,
        Instant heartbeatAt,
        boolean shuttingDown,
        RemainingResources remainingResources,
        String dockerVersion,
        String agentSession,
        RuntimeHealth runtimeHealth) implements BerthRecord {

    public InstanceRegistration(int schemaVersion, long version, String instanceId, String cluster, String hostname,
            String agentVersion, Resources registeredResources, Map<String, String> attributes, Instant registeredAt,
            Instant heartbeatAt, boolean shuttingDown, RemainingResources remainingResources, String dockerVersion,
            String agentSession) {
        this(schemaVersion, version, instanceId, cluster, hostname, agentVersion, registeredResources, attributes,
                registeredAt, heartbeatAt, shuttingDown, remainingResources, dockerVersion, agentSession, null);
    }

    /**
     * The container runtime's health as the agent last saw it.
     *
     * @param status           OK (the engine answered the last call) or IMPAIRED (it did not)
     * @param lastStatusChange when the status became what it is
     */
    public record RuntimeHealth(String status, Instant lastStatusChange) {
        public static final String OK = "OK";
        public static final String IMPAIRED = "IMPAIRED";
    }
}
