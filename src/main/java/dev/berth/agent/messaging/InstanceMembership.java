package dev.berth.agent.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether this container instance may register in the cluster its configuration names. As on
 * ECS, a container instance belongs to one cluster for its whole life, and a deregistered one
 * never comes back under its id:
 * <ul>
 *   <li>its last registration on berth.instances, read back at start, names another cluster
 *       ({@code ECS_CLUSTER} was changed): moving the instance would leave the tasks placed on
 *       it in the first cluster running on an instance of the second, which neither cluster
 *       then counts right (the ECS agent refuses to start: "Data mismatch; saved cluster ...
 *       does not match configured cluster");</li>
 *   <li>berth.instance-control says DEREGISTERED (DeregisterContainerInstance, at any time,
 *       also while the agent runs): the scheduler ignores the id from then on, so registering
 *       would only send heartbeats that nobody reads.</li>
 * </ul>
 * Then the agent does not register; it says why in an ERROR line and in its readiness check,
 * with what to do, and leaves its containers to what berth.tasks asks of them (a forced
 * deregistration stops them). Until berth.instance-control has been read to its end, the
 * agent waits with its first registration.
 */
public final class InstanceMembership implements TopicReader.Handler {

    private static final Logger LOGGER = Logger.getLogger(InstanceMembership.class);

    private final String instanceId;
    private final Optional<String> moved;
    private final String fresh;
    private final Runnable onAllowed;
    private volatile boolean deregistered;
    /** Set last, once the topic has been read to its end: the fields above are settled by then. */
    private volatile boolean caughtUp;

    /**
     * @param lastRegistration this instance's last registration on berth.instances, if any
     * @param agentDir         the directory that holds the instance id ({@code <data dir>/agent})
     * @param apiUrl           the ECS API the commands name ({@code --endpoint-url})
     * @param onAllowed        called on the reader's thread once it has read berth.instance-control
     *                         to its end and the instance may register
     */
    public InstanceMembership(String instanceId, String cluster, Optional<InstanceRegistration> lastRegistration,
            Path agentDir, String apiUrl, Runnable onAllowed) {
        this.instanceId = instanceId;
        this.onAllowed = onAllowed;
        this.fresh = "stop berth-agent, move " + agentDir + " aside and start it again: the host then registers as"
                + " a new container instance";
        this.moved = lastRegistration.map(InstanceRegistration::cluster).filter(was -> !was.equals(cluster))
                .map(was -> "container instance " + instanceId + " is registered in cluster " + was
                        + ", but ECS_CLUSTER names " + cluster + ": an instance belongs to one cluster, and its tasks"
                        + " of " + was + " would run on an instance of " + cluster + ". Set ECS_CLUSTER=" + was
                        + " again, or move the host: aws ecs deregister-container-instance --cluster " + was
                        + " --container-instance " + instanceId + " --force --endpoint-url " + apiUrl
                        + " (its tasks stop), then " + fresh);
    }

    /** Whether the instance may register. */
    public boolean allowed() {
        return caughtUp && !deregistered && moved.isEmpty();
    }

    /** Why the instance does not register; empty when it may. A deregistration says more than a moved cluster. */
    public Optional<String> problem() {
        if (!caughtUp) {
            return Optional.of("reading berth.instance-control to learn whether container instance " + instanceId
                    + " may register");
        }
        if (deregistered) {
            return Optional.of(deregisteredWhy());
        }
        return moved;
    }

    private String deregisteredWhy() {
        return "container instance " + instanceId + " was deregistered (DeregisterContainerInstance), and a"
                + " deregistered instance never registers again under its id. To make this host serve again, "
                + fresh;
    }

    @Override
    public void apply(Topic topic, String key, BerthRecord value) {
        if (deregistered || !instanceId.equals(key) || !(value instanceof InstanceControl control)
                || !InstanceControl.DEREGISTERED.equals(control.status())) {
            return;
        }
        deregistered = true;
        if (caughtUp) {
            LOGGER.errorf("This agent stops registering: %s", deregisteredWhy());
        }
    }

    @Override
    public void remove(Topic topic, String key) {
        // The scheduler never tombstones a control record: DEREGISTERED is final.
    }

    @Override
    public void caughtUp() {
        caughtUp = true;
        Optional<String> why = problem();
        if (why.isPresent()) {
            LOGGER.errorf("This agent does not register: %s", why.get());
        } else {
            onAllowed.run();
        }
    }
}
