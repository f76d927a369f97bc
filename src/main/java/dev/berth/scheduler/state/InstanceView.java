package dev.berth.scheduler.state;

import dev.berth.model.Resources;
import java.time.Instant;
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
        Instant lastHeartbeatSeen) {

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
