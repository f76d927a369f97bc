package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader records on berth.instance-control when it counts an agent disconnected (silent
 * past the heartbeat timeout, by its own clock) and when it hears it again: once per change,
 * carried on by every other control record, never for a deregistered instance.
 */
class AgentConnectionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, TIMEOUT, Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));

    private List<InstanceControl> controls() {
        return writer.written().stream().filter(InstanceControl.class::isInstance).map(InstanceControl.class::cast)
                .toList();
    }

    @Test
    void aSilentAgentIsRecordedDisconnectedOnceAndConnectedAgainWhenItIsHeard() {
        // Given: an instance whose agent heartbeats, then stays silent past the timeout
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        assertThat(plane.containerInstances().recordAgentConnections()).isZero();
        clock.advance(TIMEOUT.plusSeconds(1));

        // When: two rounds while it is silent
        int first = plane.containerInstances().recordAgentConnections();
        int second = plane.containerInstances().recordAgentConnections();

        // Then: one control record says since when, by the leader's clock
        assertThat(first).isEqualTo(1);
        assertThat(second).isZero();
        assertThat(controls()).singleElement().satisfies(c -> {
            assertThat(c.version()).isEqualTo(1);
            assertThat(c.status()).isEqualTo(InstanceControl.ACTIVE);
            assertThat(c.agentDisconnectedAt()).isEqualTo(T0.plus(TIMEOUT).plusSeconds(1));
        });

        // When: its heartbeat (the same registration again) comes back, and the next round runs
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        plane.containerInstances().recordAgentConnections();

        // Then: connected again, one version up
        assertThat(controls()).hasSize(2).last().satisfies(c -> {
            assertThat(c.version()).isEqualTo(2);
            assertThat(c.agentConnected()).isTrue();
        });
    }

    @Test
    void otherControlRecordsCarryTheDisconnectionOn() {
        // Given: an agent recorded disconnected
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        clock.advance(TIMEOUT.plusSeconds(1));
        plane.containerInstances().recordAgentConnections();

        // When: the instance is drained and given an attribute meanwhile
        plane.containerInstances().updateState(null, List.of("i-1"), InstanceControl.DRAINING);
        plane.attributes().put(null, List.of(new Attributes.Attribute("zone", "a", "container-instance", "i-1")));
        plane.tags().tag("arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-1",
                List.of(new dev.berth.model.Tag("team", "a")));

        // Then: each record still says the agent is disconnected, and no round records it again
        assertThat(controls()).hasSize(4).allSatisfy(c -> assertThat(c.agentConnected()).isFalse());
        assertThat(controls()).extracting(InstanceControl::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(plane.containerInstances().recordAgentConnections()).isZero();
        assertThat(state.instance("i-1").orElseThrow().version())
                .as("the registration's version plus the control record's, as the instance's events say it")
                .isEqualTo(1L + 4L);
    }

    @Test
    void oneRoundRecordsABoundedNumberAndTheNextTheRest() {
        // Given: more silent agents than a round records
        int silent = ContainerInstances.MAX_CONNECTIONS_PER_ROUND + 5;
        for (int i = 0; i < silent; i++) {
            state.apply(instance("i-" + i, "default", 1024, 1024, T0, 1));
        }
        clock.advance(TIMEOUT.plusSeconds(1));

        // When
        int first = plane.containerInstances().recordAgentConnections();
        int second = plane.containerInstances().recordAgentConnections();

        // Then: each round one transaction
        assertThat(first).isEqualTo(ContainerInstances.MAX_CONNECTIONS_PER_ROUND);
        assertThat(second).isEqualTo(5);
        assertThat(writer.plans()).hasSize(2);
    }

    @Test
    void aDeregisteredInstanceIsNotRecorded() {
        // Given
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        plane.containerInstances().deregister(null, "i-1", false);
        state.apply(new InstanceControl(BerthRecord.SCHEMA_VERSION, 9, "i-2", "default", InstanceControl.DEREGISTERED,
                T0));
        state.apply(instance("i-2", "default", 1024, 1024, T0, 1));

        // When
        clock.advance(TIMEOUT.plusSeconds(1));

        // Then
        assertThat(plane.containerInstances().recordAgentConnections()).isZero();
    }

    @Test
    void aRoundAfterAPauseRecordsNoDisconnectUntilTheReaderHasReadToTheEndAgain() {
        // Given: a state that the reader feeds, read to the end at T0, and an agent heard at T0
        state.expectReader();
        state.apply(instance("i-1", "default", 1024, 1024, T0, 1));
        state.readToEnd(T0);
        assertThat(plane.containerInstances().recordAgentConnections()).isZero();

        // When: the process was paused for 70 s, and the overdue round runs at once on the state of before
        clock.advance(Duration.ofSeconds(70));
        int paused = plane.containerInstances().recordAgentConnections();

        // Then: no agent is recorded disconnected: its heartbeats of the pause may wait in Kafka, unread
        assertThat(paused).isZero();
        assertThat(controls()).isEmpty();

        // When: the reader has read to the end again, and the agent's last heartbeat is still the old one
        state.readToEnd(clock.instant());
        int caughtUp = plane.containerInstances().recordAgentConnections();

        // Then: it is recorded disconnected
        assertThat(caughtUp).isEqualTo(1);
        assertThat(controls()).singleElement()
                .satisfies(c -> assertThat(c.agentDisconnectedAt()).isEqualTo(clock.instant()));
    }
}
