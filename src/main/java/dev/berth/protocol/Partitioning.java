package dev.berth.protocol;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a desired task goes on {@code berth.tasks}: the partition of its instance, so each
 * agent reads 1/P of the placement traffic. Kafka's own murmur2 hash, so any client in any
 * language can compute the same partition.
 */
public final class Partitioning {

    private Partitioning() {
    }

    public static int forInstance(String instanceId, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partitionCount must be positive: " + partitionCount);
        }
        return Utils.toPositive(Utils.murmur2(instanceId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }
}
