package dev.berth.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates Berth's topics on start with their cleanup policy, partition count and
 * {@code min.insync.replicas}. Creating is idempotent: an existing topic is left as it is (its
 * partition count included, since changing it would move tasks between agents' partitions),
 * but one whose settings are weaker than Berth's contract (another cleanup policy, fewer
 * in-sync replicas than {@link #minInSyncReplicas}, a wrong partition count where it is fixed)
 * is refused, naming the topic and the setting, and {@link #ensure} keeps retrying until an
 * operator fixes it: a start against such a topic never becomes ready.
 */
public final class TopicAdmin {

    private static final Logger LOGGER = Logger.getLogger(TopicAdmin.class);

    /** How often berth.instances rolls a segment, so that compaction keeps it near one record per instance. */
    private static final java.time.Duration HEARTBEAT_SEGMENT = java.time.Duration.ofHours(1);

    private final KafkaClients clients;

    public TopicAdmin(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * Ensures the topics exist, retrying with backoff while Kafka cannot be reached.
     *
     * @return false only when interrupted before Kafka answered
     */
    public boolean ensure(Collection<Topic> topics) {
        KafkaSettings settings = clients.settings();
        Backoff backoff = new Backoff(settings.retryBackoff(), settings.retryBackoffMax());
        while (!Thread.currentThread().isInterrupted()) {
            try (Admin admin = clients.admin()) {
                create(admin, topics);
                return true;
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (isRefusal(cause)) {
                    // Kafka answered, and no retry will change its answer until the settings or the
                    // cluster change (an operator may also create the topics by hand).
                    LOGGER.errorf("Kafka at %s refuses Berth's topics: %s; check berth.kafka.partitions, "
                            + "berth.kafka.replication-factor, the topics' settings and the ACLs. Retrying",
                            settings.bootstrapServers(), cause.getMessage());
                } else {
                    LOGGER.warnf("Kafka at %s cannot be reached to create topics (%s); retrying",
                            settings.bootstrapServers(), cause.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (!backoff.pause()) {
                return false;
            }
        }
        return false;
    }

    private static boolean isRefusal(Throwable cause) {
        return cause instanceof InvalidReplicationFactorException || cause instanceof InvalidPartitionsException
                || cause instanceof InvalidConfigurationException || cause instanceof PolicyViolationException
                || cause instanceof AuthorizationException || cause instanceof TopicSettingsCheck.WeakTopicException;
    }

    /** One attempt of {@link #ensure}: creates what is missing, checks what is there. */
    void create(Admin admin, Collection<Topic> topics) throws ExecutionException, InterruptedException {
        KafkaSettings settings = clients.settings();
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        List<Topic> present = new ArrayList<>();
        for (Topic topic : topics) {
            String name = topic.name(settings);
            if (existing.contains(name)) {
                present.add(topic);
            } else {
                Map<String, String> configs = new HashMap<>(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                        topic.cleanupPolicy(), TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        Integer.toString(minInSyncReplicas(settings.replicationFactor()))));
                if (topic.hasLogAppendTime()) {
                    configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
                    // Heartbeats pile up fast: roll segments hourly so compaction can drop the old
                    // ones, instead of after Kafka's default week, and a restart replays less.
                    configs.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(HEARTBEAT_SEGMENT.toMillis()));
                }
                missing.add(new NewTopic(name, topic.partitions(settings), settings.replicationFactor())
                        .configs(configs));
            }
        }
        if (!present.isEmpty()) {
            TopicSettingsCheck.of(admin, settings, present).refuseWeaker();
        }
        if (missing.isEmpty()) {
            return;
        }
        Set<String> notAllowed = new TreeSet<>();
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get();
                LOGGER.infof("Created topic %s", entry.getKey());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException
                        || e.getCause() instanceof ClusterAuthorizationException) {
                    notAllowed.add(entry.getKey());
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        if (!notAllowed.isEmpty()) {
            // Where an ACL keeps this principal from describing or creating a topic (an agent's,
            // which the scheduler's creates), name the topics: the broker's own message does not.
            throw new TopicAuthorizationException("topics " + String.join(", ", notAllowed) + " do not exist or"
                    + " cannot be described by this principal, and it may not create them (Describe, Create)",
                    notAllowed);
        }
    }

    /**
     * {@code min.insync.replicas} for a topic with this replication factor: 2 where there are
     * replicas to spare, so that an {@code acks=all} write survives the loss of a broker, and
     * never more than the replicas, so that one broker down does not stop writes.
     */
    public static int minInSyncReplicas(int replicationFactor) {
        return Math.max(1, Math.min(2, replicationFactor));
    }
}
