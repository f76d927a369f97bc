package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlReaderTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final String API = "http://scheduler:8080";

    private final List<String> calls = new ArrayList<>();
    private ClusterPresence presence;
    private InstanceMembership membership;

    @Test
    void eachTopicsRecordsReachTheirOwnHandler() throws Exception {
        // Given
        ControlReader reader = reader("prod");

        // When: the cluster is created, and another instance is deregistered
        reader.apply(Topic.CLUSTERS, "prod", new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "prod", "ACTIVE", null));
        reader.apply(Topic.INSTANCE_CONTROL, "i-2", control("i-2", InstanceControl.DEREGISTERED));
        reader.caughtUp();

        // Then: the cluster exists, and this instance may register
        assertThat(presence.exists()).isTrue();
        assertThat(membership.allowed()).isTrue();
    }

    @Test
    void aDeregistrationOfThisInstanceReachesTheMembership() throws Exception {
        // Given
        ControlReader reader = reader("prod");
        reader.apply(Topic.CLUSTERS, "prod", new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "prod", "ACTIVE", null));

        // When
        reader.apply(Topic.INSTANCE_CONTROL, "i-1", control("i-1", InstanceControl.DEREGISTERED));
        reader.caughtUp();

        // Then
        assertThat(membership.allowed()).isFalse();
        assertThat(membership.problem()).hasValueSatisfying(why -> assertThat(why).contains("was deregistered"));
    }

    @Test
    void theMembershipLearnsItMayRegisterOnlyOnceThePresenceKnowsTheCluster() throws Exception {
        // Given: the cluster's record has been read
        ControlReader reader = reader("prod");
        reader.apply(Topic.CLUSTERS, "prod", new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "prod", "ACTIVE", null));

        // When
        reader.caughtUp();

        // Then: when the membership allows registering, the cluster is already known to exist
        assertThat(calls).containsExactly("presence: cluster exists", "membership: allowed, cluster exists true");
    }

    @Test
    void aRemovedClusterIsNoLongerThere() throws Exception {
        // Given
        ControlReader reader = reader("prod");
        reader.apply(Topic.CLUSTERS, "prod", new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "prod", "ACTIVE", null));
        reader.caughtUp();

        // When
        reader.remove(Topic.CLUSTERS, "prod");

        // Then
        assertThat(presence.exists()).isFalse();
    }

    @Test
    void theDefaultClusterNeedsNoRecordAndOtherTopicsAreIgnored() throws Exception {
        // Given: a host of the default cluster, whose reader does not read berth.clusters
        ControlReader reader = reader("default");

        // When: a record of a topic it does not route comes anyway
        reader.apply(Topic.CLUSTERS, "default", new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "default",
                "INACTIVE", null));
        reader.caughtUp();

        // Then
        assertThat(presence.exists()).isTrue();
        assertThat(membership.allowed()).isTrue();
        assertThat(calls).containsExactly("membership: allowed, cluster exists true");
    }

    private ControlReader reader(String cluster) {
        presence = new ClusterPresence(cluster, API, () -> calls.add("presence: cluster exists"));
        membership = new InstanceMembership("i-1", cluster, Optional.empty(), Path.of("/var/lib/berth/agent"), API,
                () -> calls.add("membership: allowed, cluster exists " + presence.exists()));
        return new ControlReader(Optional.of(presence).filter(ClusterPresence::needsReading), membership);
    }

    private static InstanceControl control(String instanceId, String status) {
        return new InstanceControl(BerthRecord.SCHEMA_VERSION, 2, instanceId, "prod", status, AT);
    }
}
