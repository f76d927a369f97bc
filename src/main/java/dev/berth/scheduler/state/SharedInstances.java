package dev.berth.scheduler.state;

import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Versions;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Container instances that two agents report as. One agent's registration versions only grow,
 * and Kafka keeps them in order per instance, also across the agent's restarts (a restarted
 * agent continues from the versions it reads back, under a new session id); and one agent says
 * one thing under one version (it takes a new version whenever what it says changes, and repeats
 * the version only as a heartbeat). So an older version arriving after a newer one, or the same
 * version saying something else (another session, host name or remaining resources), is a second
 * agent with the same instance id, as a data directory copied with a disk image together with
 * its {@code /etc/machine-id} makes. Both agents then read the same placements and each runs
 * every task placed on the instance; the scheduler cannot tell which is which, so it says so,
 * once per instance, with what the operator must do. Copies that say the same things under the
 * same versions differ in their session ids; only agents from before the session id was sent
 * (it is null) can still go unnoticed that way.
 */
final class SharedInstances {

    private static final Logger LOGGER = Logger.getLogger(SharedInstances.class);

    /** Bounded by the instances there are: each id is added at most once. */
    private final Set<String> shared = new HashSet<>();

    /**
     * Whether {@code incoming} is a second agent's: older than the registration held, or of the
     * same version but saying something else. Says so the first time.
     */
    boolean isSecondAgent(InstanceRegistration held, InstanceRegistration incoming) {
        if (held == null || !(Versions.isNewer(held.version(), incoming.version())
                || held.version() == incoming.version() && !sameContent(held, incoming))) {
            return false;
        }
        if (shared.add(incoming.instanceId())) {
            LOGGER.errorf("Container instance %s: two agents report as this instance (registration version %d from"
                    + " host %s, agent session %s, after version %d from host %s, agent session %s), and each runs"
                    + " the tasks placed on it. A host's"
                    + " <data dir>/agent was copied to another, with its /etc/machine-id (a disk image)? On the copy:"
                    + " stop berth-agent, remove the containers it ran (docker rm -f $(docker ps -aq --filter"
                    + " label=dev.berth.instance-id=%s)), give the host a machine id of its own, remove"
                    + " <data dir>/agent and start berth-agent: it registers as a new container instance",
                    incoming.instanceId(), incoming.version(), incoming.hostname(), incoming.agentSession(),
                    held.version(), held.hostname(), held.agentSession(), incoming.instanceId());
        }
        return true;
    }

    /** Whether two registrations say the same, but when they were sent. */
    private static boolean sameContent(InstanceRegistration a, InstanceRegistration b) {
        return a.equals(new InstanceRegistration(b.schemaVersion(), b.version(), b.instanceId(), b.cluster(),
                b.hostname(), b.agentVersion(), b.registeredResources(), b.attributes(), b.registeredAt(),
                a.heartbeatAt(), b.shuttingDown(), b.remainingResources(), b.dockerVersion(), b.agentSession(),
                b.runtimeHealth()));
    }

    boolean contains(String instanceId) {
        return shared.contains(instanceId);
    }

    /** How many instances two agents have reported as since this scheduler started reading. */
    int count() {
        return shared.size();
    }
}
