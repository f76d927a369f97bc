package dev.berth.agent.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicReader;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the cluster this agent joins exists, as berth.clusters says (a compacted topic the
 * scheduler writes; the agent only reads it). The {@code default} cluster always exists, as
 * in ECS. An agent whose cluster does not exist does not register: it says so in its log,
 * with the command that creates the cluster, and in its readiness check, and registers as
 * soon as the cluster's record arrives.
 */
public final class ClusterPresence implements TopicReader.Handler {

    private static final String DEFAULT_CLUSTER = "default";
    private static final String ACTIVE = "ACTIVE";
    private static final Logger LOGGER = Logger.getLogger(ClusterPresence.class);

    private final String cluster;
    private final String apiUrl;
    private final Runnable onCreated;
    private volatile boolean exists;
    private volatile boolean caughtUp;

    /**
     * @param apiUrl    the ECS API the hint names ({@code --endpoint-url})
     * @param onCreated called on the reader's thread when the cluster comes to exist after
     *                  the topic was read to its end
     */
    public ClusterPresence(String cluster, String apiUrl, Runnable onCreated) {
        this.cluster = cluster;
        this.apiUrl = apiUrl;
        this.onCreated = onCreated;
        this.exists = DEFAULT_CLUSTER.equals(cluster);
    }

    /** Whether berth.clusters must be read to know the cluster's existence: not for {@code default}, which always exists. */
    boolean needsReading() {
        return !DEFAULT_CLUSTER.equals(cluster);
    }

    /** Whether the agent may register: its cluster exists. */
    public boolean exists() {
        return exists;
    }

    /** Why the agent does not register; empty once the cluster exists. */
    public Optional<String> problem() {
        if (exists) {
            return Optional.empty();
        }
        if (!caughtUp) {
            return Optional.of("reading berth.clusters to find cluster " + cluster);
        }
        return Optional.of("cluster " + cluster + " does not exist; create it with: " + createCommand());
    }

    String createCommand() {
        return "aws ecs create-cluster --cluster-name " + cluster + " --endpoint-url " + apiUrl;
    }

    @Override
    public void apply(Topic topic, String key, BerthRecord value) {
        if (value instanceof ClusterRecord record && cluster.equals(record.clusterName())) {
            changed(ACTIVE.equals(record.status()));
        }
    }

    @Override
    public void remove(Topic topic, String key) {
        if (cluster.equals(key)) {
            changed(false);
        }
    }

    @Override
    public void caughtUp() {
        caughtUp = true;
        if (exists) {
            onCreated.run();
        } else {
            LOGGER.warnf("Cluster %s does not exist, so this container instance does not register and gets no"
                    + " tasks. Create it with: %s (it registers as soon as the cluster exists)", cluster,
                    createCommand());
        }
    }

    private void changed(boolean nowExists) {
        boolean before = exists;
        exists = nowExists;
        if (!caughtUp || before == nowExists) {
            return;
        }
        if (nowExists) {
            LOGGER.infof("Cluster %s now exists; registering this container instance", cluster);
            onCreated.run();
        } else {
            LOGGER.warnf("Cluster %s is no longer active; this container instance stops registering. Create it"
                    + " again with: %s", cluster, createCommand());
        }
    }
}
