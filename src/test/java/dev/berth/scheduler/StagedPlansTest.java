package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Staged plans taken back after a failed commit: what they replaced is put back, unless the
 * state reader already read them back from Kafka (the commit's answer was lost, the commit
 * was not), since the reader, past those records, would never correct the state again.
 */
class StagedPlansTest {

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final StagedPlans staging = new StagedPlans(state);

    private static ClusterRecord cluster(String name, long version, String status) {
        return new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, name, status, T0);
    }

    private void stage(ClusterRecord record) {
        staging.stage(new RequestTransaction(), List.of(new StateChange.Put(record)), plan -> { });
    }

    private long held(String name) {
        return state.held(Topic.CLUSTERS, name).version();
    }

    @Test
    void aStagedPlanNotReadBackIsTakenBack() {
        // Given
        state.apply(cluster("prod", 5, "ACTIVE"));
        stage(cluster("prod", 6, "INACTIVE"));

        // When
        staging.takeBackAll();

        // Then
        assertThat(held("prod")).isEqualTo(5);
    }

    @Test
    void aStagedPlanThatTheReaderReadBackFromKafkaStays() {
        // Given: staged, and its commit reached Kafka: the reader read it back (a repeat it drops)
        state.apply(cluster("prod", 5, "ACTIVE"));
        ClusterRecord staged = cluster("prod", 6, "INACTIVE");
        stage(staged);
        state.replayed(Topic.CLUSTERS, "prod", staged, null);

        // When: the writer lost Kafka's answer to the commit and takes its staged plans back
        staging.takeBackAll();

        // Then: the state holds what Kafka holds
        assertThat(state.held(Topic.CLUSTERS, "prod")).isEqualTo(staged);
    }

    @Test
    void onePlanReadBackKeepsEveryOlderPlanAndTakesBackTheNewerOnes() {
        // Given: three plans staged one after the other on two clusters; the reader read back the second's
        state.apply(cluster("prod", 5, "ACTIVE"));
        state.apply(cluster("test", 1, "ACTIVE"));
        stage(cluster("prod", 6, "ACTIVE"));
        ClusterRecord second = cluster("test", 2, "INACTIVE");
        stage(second);
        stage(cluster("prod", 7, "INACTIVE"));
        state.replayed(Topic.CLUSTERS, "test", second, null);

        // When
        staging.takeBackAll();

        // Then: Kafka committed the first two (transactions commit in order), not the third
        assertThat(held("prod")).isEqualTo(6);
        assertThat(held("test")).isEqualTo(2);
    }

    @Test
    void aStagedRecordReadBackAfterTheTakeBackIsAppliedAsNewer() {
        // Given
        state.apply(cluster("prod", 5, "ACTIVE"));
        ClusterRecord staged = cluster("prod", 6, "INACTIVE");
        stage(staged);

        // When: taken back first, read back from Kafka after
        staging.takeBackAll();
        state.replayed(Topic.CLUSTERS, "prod", staged, null);

        // Then
        assertThat(held("prod")).isEqualTo(6);
    }

    @Test
    void anotherRecordOfTheSameVersionReadBackIsWhatTheTakeBackLeaves() {
        // Given: a staged plan that a new leader fenced before it committed; the new leader wrote
        // the same key at the same version with other content, and the reader read that back
        state.apply(cluster("prod", 5, "ACTIVE"));
        stage(cluster("prod", 6, "INACTIVE"));
        ClusterRecord theNewLeaders = cluster("prod", 6, "ACTIVE");
        state.replayed(Topic.CLUSTERS, "prod", theNewLeaders, null);

        // When: the commit fails as fenced and the staged plans are taken back
        staging.takeBackAll();

        // Then: the state holds what Kafka holds, not the plan that never committed
        assertThat(state.held(Topic.CLUSTERS, "prod")).isEqualTo(theNewLeaders);
    }

    @Test
    void anotherRecordOfTheSameVersionReadBackDoesNotKeepTheOlderPlans() {
        // Given: two staged plans; the reader read back another writer's record at the second's version
        state.apply(cluster("prod", 5, "ACTIVE"));
        state.apply(cluster("test", 1, "ACTIVE"));
        stage(cluster("prod", 6, "INACTIVE"));
        stage(cluster("test", 2, "INACTIVE"));
        state.replayed(Topic.CLUSTERS, "test", cluster("test", 2, "ACTIVE"), null);

        // When
        staging.takeBackAll();

        // Then: neither plan is proven committed; the first is taken back, the second gives way to Kafka's record
        assertThat(state.held(Topic.CLUSTERS, "prod")).isEqualTo(cluster("prod", 5, "ACTIVE"));
        assertThat(state.held(Topic.CLUSTERS, "test")).isEqualTo(cluster("test", 2, "ACTIVE"));
    }

    @Test
    void aNewerRecordReadFromKafkaWhileStagedIsNotUndoneByTheTakeBack() {
        // Given: a staged plan, and the reader reads a newer record of its key from Kafka (a
        // new leader's, written after it fenced this one)
        state.apply(cluster("prod", 5, "ACTIVE"));
        stage(cluster("prod", 6, "INACTIVE"));
        ClusterRecord newer = cluster("prod", 7, "ACTIVE");
        state.replayed(Topic.CLUSTERS, "prod", newer, null);

        // When
        staging.takeBackAll();

        // Then: the state keeps what Kafka holds, not what the key held before the plan
        assertThat(state.held(Topic.CLUSTERS, "prod")).isEqualTo(newer);
    }

    @Test
    void aRecordReadFromKafkaAfterAStagedTombstoneIsNotUndoneByTheTakeBack() {
        // Given: a staged plan that forgets a client token, and the reader reads a newer record
        // of that key written by another leader
        dev.berth.protocol.ClientTokenRecord before = new dev.berth.protocol.ClientTokenRecord(
                BerthRecord.SCHEMA_VERSION, 1, "RunTask/abc", "RunTask", "h1", List.of("t1"), List.of(), T0);
        state.apply(before);
        staging.stage(new RequestTransaction(), List.of(new StateChange.ForgetClientToken("RunTask/abc")),
                plan -> { });
        dev.berth.protocol.ClientTokenRecord newer = new dev.berth.protocol.ClientTokenRecord(
                BerthRecord.SCHEMA_VERSION, 2, "RunTask/abc", "RunTask", "h2", List.of("t2"), List.of(), T0);
        state.replayed(Topic.CLIENT_TOKENS, "RunTask/abc", newer, null);

        // When
        staging.takeBackAll();

        // Then
        assertThat(state.held(Topic.CLIENT_TOKENS, "RunTask/abc")).isEqualTo(newer);
    }
}
