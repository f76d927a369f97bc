package dev.berth.bench;

import dev.berth.testing.AgentAttributes;
import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * One hollow container instance: what a real agent's registration says of its host, and the
 * version of its last heartbeat. Only the heartbeat thread of {@link HollowAgents} touches it.
 */
final class HollowInstance {

    private final String instanceId;
    private final String cluster;
    private final Resources capacity;
    private final Instant registeredAt;
    private long version;
    private long nextHeartbeatNanos;

    HollowInstance(String instanceId, String cluster, Resources capacity, Instant registeredAt) {
        this.instanceId = instanceId;
        this.cluster = cluster;
        this.capacity = capacity;
        this.registeredAt = registeredAt;
    }

    String instanceId() {
        return instanceId;
    }

    /**
     * The registration record, re-sent as a heartbeat. As a real agent's, its version moves only
     * when what it says changes, which for a hollow instance is never after the first.
     */
    InstanceRegistration heartbeat(Clock clock) {
        version = Math.max(version, 1);
        return new InstanceRegistration(BerthRecord.SCHEMA_VERSION, version, instanceId, cluster,
                "hollow-" + instanceId + "." + cluster, "hollow", capacity, AgentAttributes.DEFAULT, registeredAt,
                clock.instant(), false, null, "hollow", null);
    }

    boolean isDue(long nowNanos) {
        return nowNanos >= nextHeartbeatNanos;
    }

    void scheduleNext(long atNanos) {
        nextHeartbeatNanos = atNanos;
    }
}
