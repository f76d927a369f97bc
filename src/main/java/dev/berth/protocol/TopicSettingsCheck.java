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
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Compares existing topics with Berth's contract: the cleanup policy, enough in-sync
 * replicas for {@code acks=all} to mean what it says, and the partition count where it is
 * fixed. What is weaker is named, topic and setting, so an operator can fix it.
 */
final class TopicSettingsCheck {

    private final KafkaSettings settings;
    private final Map<String, TopicDescription> descriptions;
    private final Map<ConfigResource, Config> configs;
    private final Collection<Topic> topics;

    private TopicSettingsCheck(KafkaSettings settings, Collection<Topic> topics,
            Map<String, TopicDescription> descriptions, Map<ConfigResource, Config> configs) {
        this.settings = settings;
        this.topics = topics;
        this.descriptions = descriptions;
        this.configs = configs;
    }

    static TopicSettingsCheck of(Admin admin, KafkaSettings settings, Collection<Topic> topics)
            throws ExecutionException, InterruptedException {
        List<String> names = topics.stream().map(t -> t.name(settings)).toList();
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
        Map<ConfigResource, Config> configs = new HashMap<>();
        Set<String> notAllowed = new TreeSet<>();
        for (var entry : admin.describeConfigs(resources).values().entrySet()) {
            try {
                configs.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicAuthorizationException)) {
                    throw e;
                }
                notAllowed.add(entry.getKey().name());
            }
        }
        if (!notAllowed.isEmpty()) {
            // The broker's message names no topic; an operator needs to know which ACL is missing.
            throw new TopicAuthorizationException("this principal may not read the settings of topics "
                    + String.join(", ", notAllowed) + " (DescribeConfigs)", notAllowed);
        }
        return new TopicSettingsCheck(settings, topics, descriptions, configs);
    }

    /** @throws WeakTopicException naming every weaker setting found */
    void refuseWeaker() {
        List<String> problems = new ArrayList<>();
        for (Topic topic : topics) {
            problems.addAll(problems(topic));
        }
        if (!problems.isEmpty()) {
            throw new WeakTopicException(String.join("; ", problems));
        }
    }

    List<String> problems(Topic topic) {
        String name = topic.name(settings);
        TopicDescription description = descriptions.get(name);
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
        List<String> problems = new ArrayList<>();
        if (description == null || config == null) {
            return problems;
        }
        int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        String policy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG);
        List<String> policies = policy == null ? List.of()
                : List.of(policy.replace(" ", "").split(","));
        // A compacted topic holds each key's latest value for ever: delete as well would drop it after the retention.
        boolean compacted = TopicConfig.CLEANUP_POLICY_COMPACT.equals(topic.cleanupPolicy());
        if (compacted ? !policies.equals(List.of(TopicConfig.CLEANUP_POLICY_COMPACT))
                : !policies.contains(topic.cleanupPolicy())) {
            problems.add("topic " + name + " has " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + policy + ", Berth needs "
                    + topic.cleanupPolicy() + (compacted ? " only" : ""));
        }
        if (topic.hasLogAppendTime()
                && !"LogAppendTime".equals(value(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))) {
            problems.add("topic " + name + " has " + TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG + "="
                    + value(config, TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG) + ", Berth needs LogAppendTime (an "
                    + "agent's heartbeat is dated by the broker, not by the agent's clock)");
        }
        int required = TopicAdmin.minInSyncReplicas(replicas);
        int minIsr = parse(value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG));
        if (minIsr < required) {
            problems.add("topic " + name + " has " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + "=" + minIsr + " with "
                    + replicas + " replicas, Berth needs at least " + required
                    + " (an acks=all write could be lost with one broker)");
        }
        if (replicas < settings.replicationFactor()) {
            problems.add("topic " + name + " has replication factor " + replicas
                    + ", below berth.kafka.replication-factor=" + settings.replicationFactor());
        }
        if (topic.hasFixedPartitions() && description.partitions().size() != topic.partitions(settings)) {
            problems.add("topic " + name + " has " + description.partitions().size() + " partitions, Berth needs exactly "
                    + topic.partitions(settings));
        }
        return problems;
    }

    private static String value(Config config, String key) {
        ConfigEntry entry = config.get(key);
        return entry == null ? null : entry.value();
    }

    private static int parse(String value) {
        try {
            return value == null ? 1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An existing topic whose settings are weaker than Berth's contract. */
    static final class WeakTopicException extends ApiException {
        WeakTopicException(String message) {
            super(message);
        }
    }
}
