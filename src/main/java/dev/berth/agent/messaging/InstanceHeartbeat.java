package dev.berth.agent.messaging;

import dev.berth.agent.capacity.HostCapacity;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Registers this container instance on berth.instances and re-sends the registration as a
 * heartbeat. A lost heartbeat is not retried: the next one carries the same facts. A restart
 * keeps the first {@code registeredAt} and continues from the last version
 * ({@link RegistrationHistory}). Nothing is sent while {@code mayRegister} says no (the
 * agent's cluster does not exist).
 *
 * <p>Until the engine's ledger is whole after a restart, the remaining resources are those the
 * last registration before it said (none when it said none): a ledger rebuilt only in part
 * would call the whole host free while the tasks' containers run on. An instance that never
 * registered has had no task placed on it, so its ledger is whole from the start.
 */
public final class InstanceHeartbeat {

    private static final Logger LOGGER = Logger.getLogger(InstanceHeartbeat.class);

    private final String instanceId;
    private final String cluster;
    private final RegisteredHost host;
    private final Clock clock;
    private final Function<InstanceRegistration, CompletableFuture<?>> send;
    private final Instant registeredAt;
    /** Whether this instance registered before this process started: tasks may run on it. */
    private final boolean registeredBefore;
    /** What the last registration before this process said the host had left; null when nothing. */
    private final RemainingResources remainingBefore;
    private final BooleanSupplier mayRegister;
    /** This process's {@link InstanceRegistration#agentSession()}: a restart takes a new one. */
    private final String session = UUID.randomUUID().toString();
    private long version;
    /** What the last registration said, but its version and time: null before the first. */
    private InstanceRegistration lastContent;
    private volatile Instant lastBeat;

    public InstanceHeartbeat(String instanceId, String cluster, RegisteredHost host, Clock clock,
            RegistrationHistory history, BooleanSupplier mayRegister,
            Function<InstanceRegistration, CompletableFuture<?>> send) {
        this.instanceId = instanceId;
        this.cluster = cluster;
        this.host = host;
        this.clock = clock;
        this.send = send;
        this.registeredAt = history.registeredAt();
        this.version = history.lastVersion();
        this.registeredBefore = history.lastVersion() > 0;
        this.remainingBefore = history.lastRemaining();
        this.mayRegister = mayRegister;
    }

    /**
     * The next registration record. Its version is a small counter, as ECS's container
     * instance version is: one more than the last whenever what it says changes (resources,
     * attributes, what remains, shutting down...), the same when it only says "still here"
     * (the scheduler takes a repeat of the same version as a heartbeat). It continues from the
     * last version on Kafka after a restart.
     */
    synchronized InstanceRegistration next(boolean shuttingDown) {
        HostCapacity capacity = host.capacity();
        InstanceRegistration content = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 0, instanceId, cluster,
                capacity.hostname(), host.agentVersion(), capacity.resources(), capacity.attributes(), registeredAt,
                null, shuttingDown, remaining(), host.dockerVersion().get(), session, host.runtimeHealth().get());
        if (!content.equals(lastContent)) {
            version++;
            lastContent = content;
        }
        return new InstanceRegistration(BerthRecord.SCHEMA_VERSION, version, instanceId, cluster, content.hostname(),
                content.agentVersion(), content.registeredResources(), content.attributes(), registeredAt,
                clock.instant(), shuttingDown, content.remainingResources(), content.dockerVersion(), session,
                content.runtimeHealth());
    }

    private RemainingResources remaining() {
        return host.ledgerWhole().getAsBoolean() || !registeredBefore ? host.remaining().get() : remainingBefore;
    }

    /** Sends a heartbeat; a failure is logged on one line and the next beat tries again. */
    public void beat() {
        lastBeat = clock.instant();
        if (!mayRegister.getAsBoolean()) {
            return;
        }
        send.apply(next(false)).whenComplete((ok, error) -> {
            if (error != null) {
                LOGGER.warnf("Instance %s: heartbeat not acknowledged by Kafka (%s)", instanceId, error.getMessage());
            }
        });
    }

    /** When {@link #beat()} last ran, acknowledged or not: the heartbeat ticker is alive. */
    public Optional<Instant> lastBeat() {
        return Optional.ofNullable(lastBeat);
    }

    /** The last registration, marked shuttingDown so the instance shows disconnected at once. */
    public CompletableFuture<?> farewell() {
        if (!mayRegister.getAsBoolean()) {
            return CompletableFuture.completedFuture(null);
        }
        return send.apply(next(true));
    }
}
