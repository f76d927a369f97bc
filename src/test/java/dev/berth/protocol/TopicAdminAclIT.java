package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * A principal whose ACLs fall short of what a role needs learns which topics and which
 * operation: the broker's own refusals ("Authorization failed.") name neither.
 */
class TopicAdminAclIT {

    private static final String PASSWORD = "host-secret";

    @Test
    void aRefusalNamesTheTopicsAndTheMissingOperation() throws Exception {
        try (TestKafka kafka = TestKafka.startSecured(Map.of("host", PASSWORD))) {
            // Given: berth.tasks and berth.clusters exist; User:host may describe berth.tasks only
            KafkaSettings owner = settings(kafka, TestKafka.ADMIN, TestKafka.ADMIN_PASSWORD);
            try (Admin admin = new KafkaClients(owner, "it").admin()) {
                new TopicAdmin(new KafkaClients(owner, "it")).create(admin, List.of(Topic.TASKS, Topic.CLUSTERS));
                admin.createAcls(List.of(new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, "berth.tasks", PatternType.LITERAL),
                        new AccessControlEntry("User:host", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW))))
                        .all().get();
            }
            KafkaClients host = new KafkaClients(settings(kafka, "host", PASSWORD), "it");
            try (Admin admin = host.admin()) {
                await("the ACL in force").atMost(Duration.ofMinutes(1))
                        .until(() -> admin.listTopics().names().get().contains("berth.tasks"));
                // When / Then: a topic it cannot describe (nor create) is named, with both operations
                assertThatThrownBy(() -> new TopicAdmin(host).create(admin, List.of(Topic.CLUSTERS)))
                        .isInstanceOf(TopicAuthorizationException.class)
                        .hasMessage("topics berth.clusters do not exist or cannot be described by this principal,"
                                + " and it may not create them (Describe, Create)");
                // and a topic whose settings it may not read is named, with DescribeConfigs
                assertThatThrownBy(() -> new TopicAdmin(host).create(admin, List.of(Topic.TASKS)))
                        .isInstanceOf(TopicAuthorizationException.class)
                        .hasMessage("this principal may not read the settings of topics berth.tasks"
                                + " (DescribeConfigs)");
            }
        }
    }

    private static KafkaSettings settings(TestKafka kafka, String user, String password) {
        return TestKafkaSettings.builder(kafka.bootstrapServers())
                .with("security-protocol", "SASL_PLAINTEXT")
                .with("sasl-mechanism", "PLAIN")
                .with("sasl-jaas-config", TestKafka.plainLogin(user, password))
                .build();
    }
}
