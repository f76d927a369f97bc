package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.Topic;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An agent registers only in a cluster that exists, and says how to create a missing one. */
class ClusterPresenceTest {

    private final AtomicInteger registrations = new AtomicInteger();

    private static ClusterRecord cluster(String name, String status) {
        return new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, name, status, Instant.EPOCH);
    }

    @Test
    void aMissingClusterIsNamedWithTheCommandThatCreatesItAndTheAgentRegistersOnceItExists() {
        // Given
        ClusterPresence presence = new ClusterPresence("prod", "http://ecs.example:8080", registrations::incrementAndGet);
        presence.apply(Topic.CLUSTERS, "staging", cluster("staging", "ACTIVE"));
        presence.caughtUp();
        String problem = presence.problem().orElseThrow();
        boolean existedBefore = presence.exists();

        // When: CreateCluster
        presence.apply(Topic.CLUSTERS, "prod", cluster("prod", "ACTIVE"));

        // Then
        assertThat(existedBefore).isFalse();
        assertThat(problem).contains("cluster prod does not exist")
                .contains("aws ecs create-cluster --cluster-name prod --endpoint-url http://ecs.example:8080");
        assertThat(presence.exists()).isTrue();
        assertThat(presence.problem()).isEmpty();
        assertThat(registrations).hasValue(1);
    }

    @Test
    void theDefaultClusterAlwaysExists() {
        // Given / When
        ClusterPresence presence = new ClusterPresence("default", "http://127.0.0.1:8080", registrations::incrementAndGet);

        // Then
        assertThat(presence.exists()).isTrue();
        assertThat(presence.needsReading()).isFalse();
    }

    @Test
    void anExistingClusterRegistersAsSoonAsTheTopicHasBeenRead() {
        // Given
        ClusterPresence presence = new ClusterPresence("prod", "http://127.0.0.1:8080", registrations::incrementAndGet);

        // When
        presence.apply(Topic.CLUSTERS, "prod", cluster("prod", "ACTIVE"));
        presence.caughtUp();

        // Then
        assertThat(presence.exists()).isTrue();
        assertThat(registrations).hasValue(1);
    }
}
