package dev.berth.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.RuntimeCallObserver.Outcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Docker calls and task syncs as the agent reports them, turned into timers. */
class AgentMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMeters meters = new AgentMeters(registry);

    @Test
    void timesDockerCallsByCallAndOutcomeAndRemembersTheLastOutcome() {
        // When
        meters.called("start", Outcome.OK, Duration.ofMillis(40));
        meters.called("start", Outcome.OK, Duration.ofMillis(60));
        meters.called("inspect", Outcome.UNREACHABLE, Duration.ofMillis(5));

        // Then
        Timer starts = registry.get("berth.docker.call").tag("call", "start").tag("outcome", "ok").timer();
        assertThat(starts.count()).isEqualTo(2);
        assertThat(starts.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
        assertThat(registry.get("berth.docker.call").tag("call", "inspect").tag("outcome", "unreachable").timer()
                .count()).isEqualTo(1);
        assertThat(meters.lastDockerOutcome()).contains(Outcome.UNREACHABLE);
    }

    @Test
    void timesEachTaskSyncEvenWhenItFails() {
        // Given
        Runnable failing = () -> {
            throw new IllegalStateException("boom");
        };

        // When
        meters.time(() -> { });
        try {
            meters.time(failing);
        } catch (IllegalStateException expected) {
            // the worker logs it; the sync still counts
        }

        // Then
        assertThat(registry.get("berth.reconcile").tag("loop", "agent-task-sync").timer().count()).isEqualTo(2);
        assertThat(meters.lastDockerOutcome()).isEmpty();
    }
}
