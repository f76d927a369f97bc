package dev.berth.scheduler.messaging;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader's writer puts a record only in a version newer than the state's and than the
 * plans queued ahead: a plan computed from a state that moved meanwhile is refused whole.
 */
class VersionClaimsTest {

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final VersionClaims claims = new VersionClaims(state);

    private static ClusterRecord cluster(long version, String status) {
        return new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, "prod", status, T0);
    }

    private static List<StateChange> put(BerthRecord... records) {
        return java.util.Arrays.stream(records).<StateChange>map(StateChange.Put::new).toList();
    }

    @Test
    void aVersionTheStateHoldsWithOtherContentIsRefusedAndNothingOfThePlanIsClaimed() {
        // Given: Kafka and the state hold version 2, written by a plan the caller did not see
        state.apply(cluster(2, "INACTIVE"));
        ClusterRecord other = new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, "test", "ACTIVE", T0);

        // When / Then: a plan computed from version 1 would write version 2 again
        assertThatThrownBy(() -> claims.claim(put(other, cluster(2, "ACTIVE"))))
                .isInstanceOf(EcsException.class)
                .hasMessageContaining("cluster prod is at version 2 and the change would write version 2")
                .hasMessageContaining("not written");
        // And the refused plan claimed nothing: the other cluster's version 1 is still free
        assertThat(claims.claim(put(other)).entries()).hasSize(1);
    }

    @Test
    void aNewerVersionPassesAndTheVeryRecordHeldIsARepeat() {
        // Given
        ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, "kafka-request/r-1", "RunTask",
                null, List.of(), List.of(), T0);
        state.apply(cluster(2, "ACTIVE"));
        state.apply(marker);

        // When / Then
        assertThat(claims.claim(put(cluster(3, "INACTIVE"), marker)).entries()).hasSize(1);
    }

    @Test
    void aPlanQueuedAheadClaimsItsVersionUntilReleased() {
        // Given: a plan queued (not yet applied) puts version 3
        state.apply(cluster(2, "ACTIVE"));
        VersionClaims.Claimed ahead = claims.claim(put(cluster(3, "INACTIVE")));

        // When / Then: a second plan computed from version 2 is refused
        assertThatThrownBy(() -> claims.claim(put(cluster(3, "ACTIVE")))).isInstanceOf(EcsException.class);
        // And once the first is applied, the next version is free, the same one is not
        state.apply(cluster(3, "INACTIVE"));
        claims.release(ahead);
        assertThatThrownBy(() -> claims.claim(put(cluster(3, "ACTIVE")))).isInstanceOf(EcsException.class);
        assertThat(claims.claim(put(cluster(4, "ACTIVE"))).entries()).hasSize(1);
    }

    @Test
    void aForgottenTaskIsNeverWrittenAgain() {
        // Given: the task's retention ended and its tombstones were written
        DesiredTask task = desired("t-1", "i-1", definition("web", 1, 64, null), 3);
        state.apply(task);
        state.forget(task);

        // When / Then: a plan computed before the forget would bring it back for its agent
        assertThatThrownBy(() -> claims.claim(put(desired("t-1", "i-1", definition("web", 1, 64, null), 4))))
                .isInstanceOf(EcsException.class).hasMessageContaining("task t-1 was forgotten");
    }
}
