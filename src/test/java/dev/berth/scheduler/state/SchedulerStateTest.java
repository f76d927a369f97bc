package dev.berth.scheduler.state;

import dev.berth.testing.SettableClock;
import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.Resources;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerStateTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));

    @Test
    void aPlacedTaskIsPendingUntilItsAgentReports() {
        // Given
        state.apply(desired("t1", "i-1", definition("web", 1, 256, 8080), 1));

        // When
        TaskView task = state.task("t1").orElseThrow();

        // Then
        assertThat(task.lastStatus()).isEqualTo(TaskStatus.PENDING);
        assertThat(task.desiredStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(task.containers()).extracting(ContainerState::name, ContainerState::lastStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", ContainerStatus.PENDING));
    }

    @Test
    void aTaskForgottenAfterTheReaderPassedItsTombstonesLeavesNoEntryBehind() {
        // Given: the reader read both tombstones of the task before the leader's writer applied its Forget
        var task = desired("t1", "i-1", definition("web", 1, 256, null), 2);
        state.apply(task);
        state.apply(report("t1", "i-1", TaskStatus.STOPPED, 3));
        state.remove(dev.berth.protocol.Topic.TASKS, "t1");
        state.remove(dev.berth.protocol.Topic.TASK_EVENTS, "t1");

        // When
        state.forget(task);

        // Then: no entry that no later tombstone would ever take out
        assertThat(state.forgot("t1")).isFalse();
        assertThat(state.task("t1")).isEmpty();
    }

    @Test
    void aTaskForgottenBeforeTheReaderReachesItsTombstoneIsNotBroughtBackByItsOlderRecords() {
        // Given
        var task = desired("t1", "i-1", definition("web", 1, 256, null), 2);
        state.apply(task);

        // When: the writer forgets it, and the reader then replays an older record of it
        state.forget(task);
        state.apply(desired("t1", "i-1", definition("web", 1, 256, null), 1));

        // Then
        assertThat(state.task("t1")).isEmpty();
        state.remove(dev.berth.protocol.Topic.TASKS, "t1");
        assertThat(state.forgot("t1")).isFalse();
    }

    @Test
    void aStoppedTaskIsKeptForTheRetentionFromWhenTheSchedulerSawItStoppedWhateverItsAgentsClockSays() {
        // Given: an agent whose clock runs two hours behind reports the task STOPPED (stoppedAt T0+10s)
        clock.set(T0.plus(Duration.ofHours(2)));
        state.apply(desired("t1", "i-1", definition("web", 1, 256, null), 1).stop(2, "UserInitiated", "done"));
        state.apply(report("t1", "i-1", TaskStatus.STOPPED, 3));

        // When / Then: shown for the retention (1 h) from when the scheduler saw it, then no longer
        clock.set(T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(59)));
        assertThat(state.task("t1")).isPresent();
        assertThat(state.stoppedSeenAt("t1")).isEqualTo(T0.plus(Duration.ofHours(2)));
        clock.set(T0.plus(Duration.ofHours(3)).plusSeconds(1));
        assertThat(state.task("t1")).isEmpty();
    }

    @Test
    void foldsTheLatestReportAndIgnoresStaleOnes() {
        // Given
        state.apply(desired("t1", "i-1", definition("web", 1, 256, 8080), 1));
        state.apply(report("t1", "i-1", TaskStatus.RUNNING, 5));

        // When: an older report arrives late, and a repeat of the newest
        boolean stale = state.apply(report("t1", "i-1", TaskStatus.PENDING, 3));
        boolean repeat = state.apply(report("t1", "i-1", TaskStatus.RUNNING, 5));

        // Then
        assertThat(stale).isFalse();
        assertThat(repeat).isFalse();
        TaskView task = state.task("t1").orElseThrow();
        assertThat(task.lastStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(task.startedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(task.containers().get(0).runtimeId()).isEqualTo("c0ffee");
        assertThat(task.containers().get(0).networkBindings()).hasSize(1);
        assertThat(task.version()).as("desired version 1 plus report version 5").isEqualTo(6);
    }

    @Test
    void aReportBeforeItsDesiredTaskIsKeptForLater() {
        // Given
        state.apply(report("t1", "i-1", TaskStatus.RUNNING, 5));
        assertThat(state.task("t1")).isEmpty();

        // When
        state.apply(desired("t1", "i-1", definition("web", 1, 256, null), 1));

        // Then
        assertThat(state.task("t1").orElseThrow().lastStatus()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void remainingResourcesSubtractUnstoppedTasks() {
        // Given
        state.apply(instance("i-1", "default", 2048, 1024, T0, 1));
        state.apply(desired("t1", "i-1", definition("web", 1, 256, 8080), 1));
        state.apply(desired("t2", "i-1", definition("web", 1, 128, null), 1));
        state.apply(report("t1", "i-1", TaskStatus.RUNNING, 2));
        state.apply(desired("t3", "i-1", definition("web", 1, 512, 9090), 1));
        state.apply(report("t3", "i-1", TaskStatus.STOPPED, 2));

        // When
        InstanceView instance = state.instance("i-1").orElseThrow();

        // Then
        assertThat(instance.remaining()).isEqualTo(new Resources(2048 - 256, 1024 - 256 - 128, Set.of(22, 8080)));
        assertThat(instance.runningTasksCount()).isEqualTo(1);
        assertThat(instance.pendingTasksCount()).isEqualTo(1);
    }

    @Test
    void anAgentWithAnOldHeartbeatIsDisconnected() {
        // Given
        state.apply(instance("i-1", "default", 2048, 1024, T0, 1));
        assertThat(state.instance("i-1").orElseThrow().agentConnected()).isTrue();

        // When
        clock.advance(Duration.ofSeconds(61));

        // Then
        assertThat(state.instance("i-1").orElseThrow().agentConnected()).isFalse();
    }

    @Test
    void stoppedTasksDisappearAfterTheRetention() {
        // Given
        state.apply(desired("t1", "i-1", definition("web", 1, 256, null), 1));
        state.apply(report("t1", "i-1", TaskStatus.STOPPED, 2));
        assertThat(state.tasks("default")).hasSize(1);

        // When
        clock.advance(Duration.ofHours(2));

        // Then
        assertThat(state.tasks("default")).isEmpty();
        assertThat(state.task("t1")).isEmpty();
    }

    @Test
    void heartbeatFreshnessIsTheSchedulersOwnClockNeverTheAgents() {
        // Given: an agent whose clock runs a day ahead, and one a day behind
        state.apply(instance("ahead", "default", 4096, 4096, T0.plus(Duration.ofDays(1)), 1));
        state.apply(instance("behind", "default", 4096, 4096, T0.minus(Duration.ofDays(1)), 1));

        // Then: both are connected while their heartbeats are recent here
        assertThat(state.instance("ahead").orElseThrow().agentConnected()).isTrue();
        assertThat(state.instance("behind").orElseThrow().agentConnected()).isTrue();

        // When: a minute and more passes here without a heartbeat
        clock.advance(Duration.ofSeconds(61));

        // Then: both are disconnected, whatever their clocks say
        assertThat(state.instance("ahead").orElseThrow().agentConnected()).isFalse();
        assertThat(state.instance("behind").orElseThrow().agentConnected()).isFalse();
    }

    @Test
    void anUnchangedRegistrationSentAgainIsAHeartbeatThatKeepsItsVersion() {
        // Given
        state.apply(instance("i-1", "default", 4096, 4096, T0, 7));
        clock.advance(Duration.ofSeconds(50));

        // When: the agent sends the same registration again, version unchanged
        state.apply(instance("i-1", "default", 4096, 4096, T0.plusSeconds(50), 7));
        clock.advance(Duration.ofSeconds(50));

        // Then: it is still connected 100 s after registering, and its version stays small
        assertThat(state.instance("i-1").orElseThrow().agentConnected()).isTrue();
        assertThat(state.instance("i-1").orElseThrow().registration().version()).isEqualTo(7);
    }

    @Test
    void aReplayedHeartbeatIsDatedByKafkaNotByWhenTheSchedulerStarted() {
        // Given: a heartbeat that reached Kafka two minutes before this scheduler replayed it
        state.apply(instance("old", "default", 4096, 4096, T0, 1), T0.minus(Duration.ofMinutes(2)));

        // Then
        assertThat(state.instance("old").orElseThrow().agentConnected()).isFalse();
    }

    @Test
    void twoInstanceIdsOnOneHostShareItsCapacity() {
        // Given: an agent that lost its identity registered again on the same host
        state.apply(registration(1, "old-id", "host-a", 4096, 1024));
        state.apply(registration(1, "new-id", "host-a", 4096, 1024));

        // When: the old identity still runs a task
        state.apply(desired("t1", "old-id", definition("web", 1, 768, 8080), 1));

        // Then: the new identity cannot place on what that task takes
        assertThat(state.instance("new-id").orElseThrow().remaining().memory()).isEqualTo(256);
        assertThat(state.instance("new-id").orElseThrow().remaining().ports()).contains(8080);
    }

    @Test
    void anOlderRegistrationAfterANewerOneIsASecondAgentAndChangesNothing() {
        // Given: an agent's registration, then the same instance id's from a copy of its data directory
        state.apply(registration(10, "i-1", "host-a", 4096, 1024));
        state.apply(registration(11, "i-1", "host-b", 2048, 512));
        assertThat(state.isShared("i-1")).as("one agent's versions, in order").isFalse();

        // When: the first agent's heartbeat re-sends its registration
        boolean changed = state.apply(registration(10, "i-1", "host-a", 4096, 1024));

        // Then: two agents report as i-1; the newest registration stands
        assertThat(changed).isFalse();
        assertThat(state.isShared("i-1")).isTrue();
        assertThat(state.instance("i-1").orElseThrow().registration().hostname()).isEqualTo("host-b");
    }

    @Test
    void theSameVersionSayingSomethingElseIsASecondAgent() {
        // Given: an agent's registration, and its heartbeat: the same record, sent again later
        state.apply(registration(10, "i-1", "host-a", 4096, 1024));
        dev.berth.protocol.InstanceRegistration beat = registration(10, "i-1", "host-a", 4096, 1024);
        state.apply(new dev.berth.protocol.InstanceRegistration(beat.schemaVersion(), beat.version(),
                beat.instanceId(), beat.cluster(), beat.hostname(), beat.agentVersion(), beat.registeredResources(),
                beat.attributes(), beat.registeredAt(), T0.plusSeconds(30), false, null, null, beat.agentSession()));
        assertThat(state.isShared("i-1")).as("a heartbeat differs from the registration only in its time").isFalse();

        // When: a copy that started from the same last version registers under it from another host
        boolean changed = state.apply(registration(10, "i-1", "host-b", 4096, 1024));

        // Then: two agents report as i-1; the first registration stands
        assertThat(changed).isFalse();
        assertThat(state.isShared("i-1")).isTrue();
        assertThat(state.instance("i-1").orElseThrow().registration().hostname()).isEqualTo("host-a");
    }

    @Test
    void copiesSayingTheSameUnderTheSameVersionsDifferInTheirSessions() {
        // Given: an agent's registration, and a restart of it: a new session, the next version
        state.apply(registration(10, "i-1", "host-a", 4096, 1024, "session-1"));
        state.apply(registration(11, "i-1", "host-a", 4096, 1024, "session-2"));
        state.apply(registration(11, "i-1", "host-a", 4096, 1024, "session-2"));
        assertThat(state.isShared("i-1")).as("a restart, then a heartbeat").isFalse();

        // When: a copy that started from the same last version, on a host of the same name with the
        // same resources, registers under it
        boolean changed = state.apply(registration(11, "i-1", "host-a", 4096, 1024, "session-3"));

        // Then: two agents report as i-1; the registration held stands
        assertThat(changed).isFalse();
        assertThat(state.isShared("i-1")).isTrue();
        assertThat(state.instance("i-1").orElseThrow().registration().agentSession()).isEqualTo("session-2");
    }

    /** A registration of {@code instanceId} in cluster default from {@code hostname}, with no attributes. */
    private static dev.berth.protocol.InstanceRegistration registration(long version, String instanceId,
            String hostname, int cpu, int memory) {
        return registration(version, instanceId, hostname, cpu, memory, "session-1");
    }

    /** The same from the agent session {@code session}. */
    private static dev.berth.protocol.InstanceRegistration registration(long version, String instanceId,
            String hostname, int cpu, int memory, String session) {
        return new dev.berth.protocol.InstanceRegistration(1, version, instanceId, "default", hostname, "0.1.0",
                new Resources(cpu, memory, Set.of()), java.util.Map.of(), T0, T0, false, null, null, session);
    }
}
