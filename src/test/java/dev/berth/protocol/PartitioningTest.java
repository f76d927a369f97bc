package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitioningTest {

    @Test
    void theInstancePartitionIsTheOneKafkaWouldPickForTheInstanceIdAsKey() {
        for (int i = 0; i < 50; i++) {
            String instanceId = "instance-" + i;
            assertThat(Partitioning.forInstance(instanceId, 6))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(instanceId.getBytes(), 6));
        }
    }

    @Test
    void instancesSpreadOverPartitions() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(Partitioning.forInstance(Integer.toHexString(i * 7919), 6));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aPartitionCountMustBePositive() {
        assertThatThrownBy(() -> Partitioning.forInstance("i", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
