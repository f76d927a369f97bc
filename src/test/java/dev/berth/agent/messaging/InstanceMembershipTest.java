package dev.berth.agent.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstanceMembershipTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Path AGENT_DIR = Path.of("/var/lib/berth/agent");
    private static final String API = "http://scheduler:8080";

    private final AtomicInteger allowedCalls = new AtomicInteger();

    @Test
    void anInstanceRegisteredInAnotherClusterDoesNotRegisterAndSaysHowToMoveTheHost() {
        // Given: its last registration names cluster a; ECS_CLUSTER now says b
        InstanceMembership membership = membership("b", Optional.of(registration("i-1", "a")));

        // When
        membership.caughtUp();

        // Then
        assertThat(membership.allowed()).isFalse();
        assertThat(allowedCalls).hasValue(0);
        assertThat(membership.problem()).hasValueSatisfying(why -> assertThat(why)
                .contains("registered in cluster a, but ECS_CLUSTER names b")
                .contains("Set ECS_CLUSTER=a again")
                .contains("aws ecs deregister-container-instance --cluster a --container-instance i-1 --force"
                        + " --endpoint-url " + API)
                .contains("move " + AGENT_DIR + " aside"));
    }

    @Test
    void aDeregisteredInstanceDoesNotRegisterAgainUnderItsId() {
        // Given
        InstanceMembership membership = membership("a", Optional.of(registration("i-1", "a")));

        // When: berth.instance-control, read from its beginning
        membership.apply(Topic.INSTANCE_CONTROL, "i-1", control("i-1", InstanceControl.DRAINING, 1));
        membership.apply(Topic.INSTANCE_CONTROL, "i-1", control("i-1", InstanceControl.DEREGISTERED, 2));
        membership.caughtUp();

        // Then
        assertThat(membership.allowed()).isFalse();
        assertThat(allowedCalls).hasValue(0);
        assertThat(membership.problem()).hasValueSatisfying(why -> assertThat(why)
                .contains("container instance i-1 was deregistered")
                .contains("move " + AGENT_DIR + " aside and start it again"));
    }

    @Test
    void aDeregisteredInstanceWhoseClusterAlsoChangedIsToldItWasDeregistered() {
        // Given: deregistered from a, and ECS_CLUSTER now says b
        InstanceMembership membership = membership("b", Optional.of(registration("i-1", "a")));
        membership.apply(Topic.INSTANCE_CONTROL, "i-1", control("i-1", InstanceControl.DEREGISTERED, 2));

        // When
        membership.caughtUp();

        // Then: no advice to deregister it again
        assertThat(membership.allowed()).isFalse();
        assertThat(membership.problem()).hasValueSatisfying(why -> assertThat(why).contains("was deregistered")
                .doesNotContain("deregister-container-instance"));
    }

    @Test
    void aDeregistrationWhileTheAgentRunsStopsItsRegistering() {
        // Given: allowed, and registering
        InstanceMembership membership = membership("a", Optional.of(registration("i-1", "a")));
        membership.caughtUp();
        boolean before = membership.allowed();

        // When
        membership.apply(Topic.INSTANCE_CONTROL, "i-1", control("i-1", InstanceControl.DEREGISTERED, 3));

        // Then
        assertThat(before).isTrue();
        assertThat(membership.allowed()).isFalse();
        assertThat(membership.problem()).hasValueSatisfying(why -> assertThat(why).contains("was deregistered"));
    }

    @Test
    void anInstanceInItsOwnClusterRegistersOnceTheControlTopicIsReadAndOthersDeregistrationsDoNotCount() {
        // Given: a new instance (no registration yet)
        InstanceMembership membership = membership("a", Optional.empty());
        membership.apply(Topic.INSTANCE_CONTROL, "i-2", control("i-2", InstanceControl.DEREGISTERED, 2));
        boolean allowedBeforeTheEnd = membership.allowed();
        Optional<String> problemBeforeTheEnd = membership.problem();

        // When
        membership.caughtUp();

        // Then
        assertThat(allowedBeforeTheEnd).isFalse();
        assertThat(problemBeforeTheEnd).hasValueSatisfying(why -> assertThat(why)
                .contains("reading berth.instance-control").doesNotContain("deregistered"));
        assertThat(membership.allowed()).isTrue();
        assertThat(membership.problem()).isEmpty();
        assertThat(allowedCalls).hasValue(1);
    }

    private InstanceMembership membership(String cluster, Optional<InstanceRegistration> last) {
        return new InstanceMembership("i-1", cluster, last, AGENT_DIR, API, allowedCalls::incrementAndGet);
    }

    private static InstanceRegistration registration(String instanceId, String cluster) {
        return new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 7, instanceId, cluster, "host-1", "1",
                Resources.NONE, Map.of(), AT, AT, false, null, null, "session-1");
    }

    private static BerthRecord control(String instanceId, String status, long version) {
        return new InstanceControl(BerthRecord.SCHEMA_VERSION, version, instanceId, "a", status, AT);
    }
}
