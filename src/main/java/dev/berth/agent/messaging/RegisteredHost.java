package dev.berth.agent.messaging;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import java.util.function.Supplier;

/**
 * What the registration says of this host besides its identity: the agent's and the Docker
 * engine's versions, the capacity and attributes registered, what the host's own ledger has
 * left, and whether the engine answers, read anew for every heartbeat.
 */
public record RegisteredHost(String agentVersion, Supplier<String> dockerVersion, HostCapacity capacity,
        Supplier<RemainingResources> remaining, Supplier<InstanceRegistration.RuntimeHealth> runtimeHealth) {

    public RegisteredHost(String agentVersion, Supplier<String> dockerVersion, HostCapacity capacity,
            Supplier<RemainingResources> remaining) {
        this(agentVersion, dockerVersion, capacity, remaining, () -> null);
    }
}
