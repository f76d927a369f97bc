package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestKafkaSettings;
import org.junit.jupiter.api.Test;

/** The settings of the topics Berth creates, read as start-up reads them. */
class KafkaSettingsTest {

    @Test
    void aTopicCountBelowOneStopsStartUpNamingTheSetting() {
        assertThat(TestKafkaSettings.builder("127.0.0.1:9092").with("partitions", "12")
                .with("replication-factor", "3").build()).satisfies(s -> {
                    assertThat(s.partitions()).isEqualTo(12);
                    assertThat(s.replicationFactor()).isEqualTo((short) 3);
                });
        assertThatThrownBy(() -> TestKafkaSettings.builder("127.0.0.1:9092").with("partitions", "0").build())
                .hasMessageContaining("berth.kafka.partitions");
        assertThatThrownBy(() -> TestKafkaSettings.builder("127.0.0.1:9092").with("replication-factor", "0").build())
                .hasMessageContaining("berth.kafka.replication-factor");
    }
}
