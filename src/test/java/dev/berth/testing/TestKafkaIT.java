package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TestKafkaIT {

    @Test
    void servesProducersAndConsumers() {
        // Given a running test broker with a topic
        try (TestKafka kafka = TestKafka.start()) {
            kafka.createTopic("berth.it.test-kafka", 3);

            // When a record is sent
            TopicRecords.send(kafka.bootstrapServers(), "berth.it.test-kafka", "task-1", "PENDING");

            // Then a consumer reads it back
            assertThat(TopicRecords.awaitRecords(kafka.bootstrapServers(), "berth.it.test-kafka", 1,
                            Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("task-1", "PENDING"));
        }
    }
}
