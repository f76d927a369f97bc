package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * Berth's topics on a Kafka where some already exist: what is missing is created with Berth's
 * settings, what exists is left as it is, and an existing topic whose settings are weaker
 * than Berth's contract is refused, naming the topic and the setting.
 */
class TopicAdminIT {

    @Test
    void weakerTopicsAreRefusedByNameAndMissingOnesCreatedWithBerthsSettings() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings settings = TestKafkaSettings.of(kafka.bootstrapServers());
            KafkaClients clients = new KafkaClients(settings, "it");
            try (Admin admin = clients.admin()) {
                // Given: berth.clusters made by hand with the delete policy, the leaders' topic with two partitions,
                // berth.task-definitions compacted and deleted, berth.instances dated by its producers
                admin.createTopics(List.of(
                        new NewTopic("berth.clusters", 1, (short) 1)
                                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")),
                        new NewTopic("berth.scheduler-leader", 2, (short) 1)
                                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")),
                        new NewTopic("berth.task-definitions", 1, (short) 1)
                                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete")),
                        new NewTopic("berth.instances", 1, (short) 1)
                                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact",
                                        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")))).all().get();
                TopicAdmin topics = new TopicAdmin(clients);

                // When / Then: both are refused, each by its topic and setting
                assertThatThrownBy(() -> topics.create(admin, List.of(Topic.CLUSTERS, Topic.SCHEDULER_LEADER,
                        Topic.TASKS, Topic.TASK_DEFINITIONS, Topic.INSTANCES)))
                        .isInstanceOf(TopicSettingsCheck.WeakTopicException.class)
                        .hasMessageContaining("topic berth.clusters has cleanup.policy=delete, Berth needs compact only")
                        .hasMessageContaining("topic berth.scheduler-leader has 2 partitions, Berth needs exactly 1")
                        .hasMessageContaining("topic berth.task-definitions has cleanup.policy=compact,delete, Berth "
                                + "needs compact only")
                        .hasMessageContaining("topic berth.instances has message.timestamp.type=CreateTime, Berth "
                                + "needs LogAppendTime");

                // When: only topics that are missing or as Berth needs them
                topics.create(admin, List.of(Topic.TASKS, Topic.DEAD_LETTERS));
                topics.create(admin, List.of(Topic.TASKS, Topic.DEAD_LETTERS));

                // Then: created once, with Berth's partitions and cleanup policies
                var described = admin.describeTopics(List.of("berth.tasks", "berth.dead-letters")).allTopicNames().get();
                assertThat(described.get("berth.tasks").partitions()).hasSize(settings.partitions());
                var configs = admin.describeConfigs(List.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, "berth.tasks"),
                        new ConfigResource(ConfigResource.Type.TOPIC, "berth.dead-letters"))).all().get();
                assertThat(configs).allSatisfy((resource, config) -> assertThat(
                        config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                        .isEqualTo(resource.name().equals("berth.tasks") ? "compact" : "delete"));
            }
        }
    }
}
