package dev.berth.agent;

import dev.berth.agent.engine.SyncTimer;
import dev.berth.agent.runtime.RuntimeCallObserver;
import java.time.Duration;

/**
 * What the agent role tells its observer (metrics and health, at the edge) as it runs: every
 * call to Docker and the duration of every task sync. The gauges (tasks by status, consumer
 * lag, buffered state changes) are read through {@link AgentRole#running()} instead.
 */
public interface AgentObserver extends RuntimeCallObserver, SyncTimer {

    /** Observes nothing: for tests and tools that construct the role by hand. */
    AgentObserver NONE = new AgentObserver() {
        @Override
        public void called(String call, Outcome outcome, Duration took) {
        }

        @Override
        public void time(Runnable sync) {
            sync.run();
        }
    };
}
