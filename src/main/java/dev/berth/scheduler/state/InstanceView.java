package dev.berth.scheduler.state;

import dev.berth.model.Resources;
import java.time.Instant;
import java.util.Map;
import dev.berth.protocol.InstanceRegistration;

/**
 * A container instance as the API and placement see it: its registration, whether its
 * agent is connected (a heartbeat received recently, by the scheduler's clock), what the
 * unstopped tasks on its host leave of its resources, and how many of its tasks run or wait.
 */
public record InstanceView(
        InstanceRegistration registration,
        boolean agentConnected,
        Resources remaining,
        int runningTasksCount,
        int pendingTasksCount,
        Instant lastHeartbeatSeen,
        Map<String, String> customAttributes,
        long controlVersion) {

    public InstanceView(InstanceRegistration registration, boolean agentConnected, Resources remaining,
            int runningTasksCount, int pendingTasksCount, Instant lastHeartbeatSeen,
            Map<String, String> customAttributes) {
        this(registration, agentConnected, remaining, runningTasksCount, pendingTasksCount, lastHeartbeatSeen,
                customAttributes, 0);
    }

    /**
     * ECS's container instance version: the registration's plus its control record's (status,
     * attributes, the leader's word on its agent), so that it grows with every change of
     * either and "ECS Container Instance State Change" events carry the same number.
     */
    public long version() {
        return registration.version() + controlVersion;
    }

    /** The agent's attributes and the custom ones PutAttributes added. */
    public Map<String, String> attributes() {
        Map<String, String> all = new java.util.HashMap<>();
        if (registration.attributes() != null) {
            all.putAll(registration.attributes());
        }
        all.putAll(customAttributes);
        return all;
    }

    public String instanceId() {
        return registration.instanceId();
    }

    public String cluster() {
        return registration.cluster();
    }

    public Resources registered() {
        return registration.registeredResources() == null ? Resources.NONE : registration.registeredResources();
    }
}
