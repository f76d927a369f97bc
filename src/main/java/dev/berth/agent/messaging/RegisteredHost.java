package dev.berth.agent.messaging;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the registration says of this host besides its identity: the agent's and the Docker
 * engine's versions, the capacity and attributes registered, what the host's own ledger has
 * left and whether that ledger is whole yet (after a restart, not before the engine has caught
 * up), and whether the engine answers, read anew for every heartbeat.
 */
public record RegisteredHost(String agentVersion, Supplier<String> dockerVersion, HostCapacity capacity,
        Supplier<RemainingResources> remaining, BooleanSupplier ledgerWhole,
        Supplier<InstanceRegistration.RuntimeHealth> runtimeHealth) {

    /** A host whose ledger is always whole, and whose engine's answers are not known. */
    public RegisteredHost(String agentVersion, Supplier<String> dockerVersion, HostCapacity capacity,
            Supplier<RemainingResources> remaining) {
        this(agentVersion, dockerVersion, capacity, remaining, () -> true, () -> null);
    }
}
