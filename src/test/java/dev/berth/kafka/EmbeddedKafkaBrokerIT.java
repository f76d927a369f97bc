package dev.berth.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.e2e.BerthProcess;
import dev.berth.testing.TopicRecords;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "berth.it.embedded";
    private static final Duration CLIENT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void keepsTopicsAndRecordsAcrossRestarts() throws Exception {
        // Given a broker that formatted a fresh data directory, with one acknowledged record
        EmbeddedKafkaBroker.Settings settings = new EmbeddedKafkaBroker.Settings(
                "127.0.0.1", BerthProcess.freePort(), BerthProcess.freePort(), dataDir.resolve("kafka"));
        String clusterId;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings)) {
            broker.start();
            assertThat(broker.ports()).containsExactlyInAnyOrder(settings.port(), settings.controllerPort());
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
                clusterId = admin.describeCluster().clusterId().get();
            }
            produce(broker.bootstrapServers(), "task-1", "RUNNING");
            assertThat(readAll(broker.bootstrapServers(), 1)).containsExactly("task-1=RUNNING");
        }

        // When a new broker starts on the same directory
        try (EmbeddedKafkaBroker restarted = new EmbeddedKafkaBroker(settings)) {
            restarted.start();

            // Then it is the same cluster and the record is still there
            try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    restarted.bootstrapServers()))) {
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
            }
            assertThat(readAll(restarted.bootstrapServers(), 1)).containsExactly("task-1=RUNNING");
        }
        assertThat(dataDir.resolve("kafka").resolve("meta.properties")).content().contains(clusterId);
    }

    @Test
    void refusesATakenPortWithAMessageThatNamesIt() throws IOException {
        // Given a port held by someone else
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(new EmbeddedKafkaBroker.Settings(
                    "127.0.0.1", taken.getLocalPort(), 0, dataDir.resolve("kafka")));

            // When / Then
            assertThatThrownBy(broker::start)
                    .isInstanceOf(KafkaPortInUseException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("berth.kafka.embedded.port")
                    .hasMessageNotContaining("\n");
            assertThat(dataDir.resolve("kafka")).doesNotExist();
        }
    }

    private static void produce(String bootstrapServers, String key, String value) {
        TopicRecords.send(bootstrapServers, TOPIC, key, value);
    }

    private static List<String> readAll(String bootstrapServers, int expected) {
        return TopicRecords.awaitRecords(bootstrapServers, TOPIC, expected, CLIENT_WAIT).stream()
                .map(r -> r.key() + "=" + r.value())
                .toList();
    }

}
