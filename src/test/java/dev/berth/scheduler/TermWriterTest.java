package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.state.SchedulerState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The control plane's writer across leadership terms: a reconcile round's plans, made on the
 * state of the term it started in, are written in that term or not at all.
 */
class TermWriterTest {

    private final SchedulerState state = new SchedulerState(new dev.berth.testing.SettableClock(T0),
            Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter firstTerm = new AppliedWriter(state);
    private final AppliedWriter nextTerm = new AppliedWriter(state);
    private final AtomicReference<StateWriter> leading = new AtomicReference<>(firstTerm);
    private final TermWriter writer = new TermWriter(leading::get, leading::get);

    private static List<StateChange> plan(long version) {
        return List.of(new StateChange.Put(new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, "prod", "ACTIVE",
                T0)));
    }

    @Test
    void aRoundsPlanIsNotWrittenInALaterTerm() {
        // Given: a round that started in the first term
        AtomicReference<Throwable> refused = new AtomicReference<>();

        // When: this replica takes over again (a new term) before the round submits its plan
        boolean ran = writer.inCurrentTerm(() -> {
            leading.set(nextTerm);
            try {
                writer.commit(plan(1));
            } catch (RuntimeException e) {
                refused.set(e);
            }
        });

        // Then: the plan is refused, written in neither term
        assertThat(ran).isTrue();
        assertThat(refused.get()).isInstanceOf(EcsException.class).hasMessageContaining("nothing was changed");
        assertThat(firstTerm.plans()).isEmpty();
        assertThat(nextTerm.plans()).isEmpty();

        // And: the next round, started in the new term, writes its plan
        writer.inCurrentTerm(() -> writer.commit(plan(1)));
        assertThat(nextTerm.plans()).hasSize(1);
    }

    @Test
    void aRoundsPlanIsNotWrittenOnceItsTermEnded() {
        // When: the term ends (deposed, or its writer spent) while a round runs
        assertThatThrownBy(() -> writer.inCurrentTerm(() -> {
            leading.set(null);
            writer.commit(plan(1));
        })).isInstanceOf(EcsException.class);

        // Then
        assertThat(firstTerm.plans()).isEmpty();
    }

    @Test
    void aPlanOutsideARoundGoesToTheCurrentTermsWriter() {
        // Given: a new term
        leading.set(nextTerm);

        // When: an API call writes
        writer.commit(plan(1));

        // Then
        assertThat(nextTerm.plans()).hasSize(1);
        assertThat(firstTerm.plans()).isEmpty();
    }
}
