package dev.berth.scheduler.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;

/** How a record of berth.requests is handed to the handler: its key read as strict UTF-8. */
class RequestConsumerReceivedTest {

    private static RequestConsumer.Received received(byte[] key) {
        return RequestConsumer.Received.of(new ConsumerRecord<>("berth.requests", 0, 3, key, new byte[] {'{', '}'}));
    }

    @Test
    void aUtf8KeyIsTheRequestId() {
        // When
        RequestConsumer.Received record = received("r-ü".getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(record.key()).isEqualTo("r-ü");
        assertThat(record.keyUnreadable()).isFalse();
        assertThat(record.offset()).isEqualTo(3);
    }

    @Test
    void keysThatAreNoUtf8AreNoIdsAndAreKeptApart() {
        // Given: ids 128 and 129 from a LongSerializer, whose last byte is no UTF-8
        LongSerializer longs = new LongSerializer();

        // When
        RequestConsumer.Received first = received(longs.serialize("berth.requests", 128L));
        RequestConsumer.Received second = received(longs.serialize("berth.requests", 129L));

        // Then: no id is made of them, and their bytes are kept as they are
        assertThat(first.key()).isNull();
        assertThat(second.key()).isNull();
        assertThat(first.keyUnreadable()).isTrue();
        assertThat(first.unreadableKey()).isEqualTo(longs.serialize("berth.requests", 128L));
        assertThat(second.unreadableKey()).isEqualTo(longs.serialize("berth.requests", 129L));
    }

    @Test
    void aRecordWithoutAKeyHasNone() {
        // When
        RequestConsumer.Received record = received(null);

        // Then
        assertThat(record.key()).isNull();
        assertThat(record.keyUnreadable()).isFalse();
    }
}
