package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KafkaBrokerResourceIT {

    @ConfigProperty(name = "berth.kafka.bootstrap-servers")
    String configuredBootstrapServers;

    @ConfigProperty(name = "berth.roles")
    String roles;

    @Test
    void pointsBerthAtTheTestBroker() throws Exception {
        // Given Berth configured by the resource
        assertThat(configuredBootstrapServers).isEqualTo(KafkaBrokerResource.bootstrapServers());
        assertThat(roles).isEqualTo("scheduler,agent");
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, configuredBootstrapServers))) {
            admin.createTopics(List.of(new NewTopic("berth.it.resource", 1, (short) 1))).all().get();
        }

        // When a record is sent to the configured broker
        TopicRecords.send(configuredBootstrapServers, "berth.it.resource", "instance-1", "ACTIVE");

        // Then it can be read back from it
        assertThat(TopicRecords.awaitRecords(configuredBootstrapServers, "berth.it.resource", 1,
                        Duration.ofSeconds(30)))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(tuple("instance-1", "ACTIVE"));
    }
}
