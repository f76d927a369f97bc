package dev.berth.scheduler.state;

import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Versions;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Container instances that two agents report as. One agent's registration versions only grow,
 * and Kafka keeps them in order per instance, also across the agent's restarts (a restarted
 * agent continues from the versions it reads back): an older version arriving after a newer
 * one is a second agent with the same instance id, as a data directory copied with a disk
 * image together with its {@code /etc/machine-id} makes. Both agents then read the same
 * placements and each runs every task placed on the instance; the scheduler cannot tell which
 * is which, so it says so, once per instance, with what the operator must do.
 */
final class SharedInstances {

    private static final Logger LOGGER = Logger.getLogger(SharedInstances.class);

    /** Bounded by the instances there are: each id is added at most once. */
    private final Set<String> shared = new HashSet<>();

    /** Whether {@code incoming} is older than the registration held: a second agent's; says so the first time. */
    boolean isSecondAgent(InstanceRegistration held, InstanceRegistration incoming) {
        if (held == null || !Versions.isNewer(held.version(), incoming.version())) {
            return false;
        }
        if (shared.add(incoming.instanceId())) {
            LOGGER.errorf("Container instance %s: two agents report as this instance (registration version %d from"
                    + " host %s after version %d from host %s), and each runs the tasks placed on it. A host's"
                    + " <data dir>/agent was copied to another, with its /etc/machine-id (a disk image)? On the copy:"
                    + " stop berth-agent, remove the containers it ran (docker rm -f $(docker ps -aq --filter"
                    + " label=dev.berth.instance-id=%s)), give the host a machine id of its own, remove"
                    + " <data dir>/agent and start berth-agent: it registers as a new container instance",
                    incoming.instanceId(), incoming.version(), incoming.hostname(), held.version(), held.hostname(),
                    incoming.instanceId());
        }
        return true;
    }

    boolean contains(String instanceId) {
        return shared.contains(instanceId);
    }
}
