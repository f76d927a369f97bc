package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.agent.Fixtures;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Container events wake the task's worker at once; without them an exit waits for the resync. */
class ContainerEventWakeTest {

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage("berth-test/busybox:latest");
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final TaskEngine engine = new TaskEngine(Fixtures.INSTANCE, runtime, reported::add, Runnable::run,
            Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(30));

    private TaskStateChange last() {
        return reported.get(reported.size() - 1);
    }

    @Test
    void aDieEventStopsTheTaskWithoutWaitingForTheResync() {
        // Given
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.watchEvents();

        // When
        runtime.exit("t1", "web", 7);

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(last().containers()).filteredOn(c -> c.name().equals("web"))
                .extracting(ContainerState::exitCode).containsExactly(7);
    }

    @Test
    void aContainerRemovedByForceIsReportedWithTheExitCodeItsDieAnnounced() {
        // Given
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.watchEvents();

        // When: docker rm -f, its die (137) and its removal before the worker looks
        runtime.killAndRemove("t1", "web");

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().containers()).filteredOn(c -> c.name().equals("web"))
                .extracting(ContainerState::lastStatus, ContainerState::exitCode, ContainerState::reason)
                .containsExactly(tuple(ContainerStatus.STOPPED, 137, TaskWorker.REMOVED_OUTSIDE_BERTH));
    }

    @Test
    void anEventThatTheLastLookAlreadySawCostsNoSync() {
        // Given a task started and looked at, at the engine's clock's now
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.watchEvents();
        Instant lookedAt = Instant.parse("2025-01-01T00:00:00Z");
        runtime.calls.clear();

        // When the engine announces the start a moment before that look (the worker's own start)
        runtime.announce(ContainerEvent.Kind.START, "t1", "web", lookedAt.minusMillis(1));

        // Then nothing is inspected again
        assertThat(runtime.calls).isEmpty();

        // When an event comes that is not older than the look
        runtime.announce(ContainerEvent.Kind.START, "t1", "web", lookedAt);

        // Then the worker looks again
        assertThat(runtime.calls).contains("inspect");
    }

    @Test
    void aWakeThatIsNotAnEventAlwaysSyncs() {
        // Given a task started and looked at
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.watchEvents();
        runtime.announce(ContainerEvent.Kind.START, "t1", "web", Instant.parse("2024-12-31T23:59:59Z"));
        runtime.calls.clear();

        // When the task is woken for another reason (a resync)
        engine.resync();

        // Then it looks, whatever the events before
        assertThat(runtime.calls).contains("inspect");
    }

    @Test
    void withoutEventsAnExitIsOnlySeenAtTheNextResync() {
        // Given
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();

        // When
        runtime.exit("t1", "web", 7);

        // Then
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
        engine.resync();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void aSpreadResyncWakesTheTasksOneAfterTheOtherOverTheSpread() {
        // Given four running tasks whose containers exited without an event
        List<String> tasks = List.of("t1", "t2", "t3", "t4");
        tasks.forEach(id -> engine.desired(desired(id, 1, TaskStatus.RUNNING)));
        engine.caughtUp();
        tasks.forEach(id -> runtime.exit(id, "web", 7));

        // When a resync is spread over two seconds
        List<Duration> delays = new ArrayList<>();
        List<Runnable> wakes = new ArrayList<>();
        engine.resync(Duration.ofSeconds(2), (delay, wake) -> {
            delays.add(delay);
            wakes.add(wake);
        });

        // Then each task is woken once, at even steps, and only when its turn comes
        assertThat(delays).containsExactly(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1000),
                Duration.ofMillis(1500));
        assertThat(reported).noneMatch(change -> change.lastStatus() == TaskStatus.STOPPED);
        wakes.get(0).run();
        assertThat(reported).filteredOn(change -> change.lastStatus() == TaskStatus.STOPPED).hasSize(1);
        wakes.subList(1, wakes.size()).forEach(Runnable::run);
        assertThat(reported).filteredOn(change -> change.lastStatus() == TaskStatus.STOPPED)
                .extracting(TaskStateChange::taskId).containsExactlyInAnyOrderElementsOf(tasks);
    }

    @Test
    void anExitMissedWhileTheEventStreamWasDownIsSeenAsSoonAsTheStreamIsBack() {
        // Given: the engine restarted; the exit happened while no event could be announced
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        engine.watchEvents();
        runtime.exitUnannounced("t1", "web", 137);
        boolean seenBeforeResume = last().lastStatus() == TaskStatus.STOPPED;

        // When
        runtime.resumeEvents();

        // Then
        assertThat(seenBeforeResume).isFalse();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last().containers()).filteredOn(c -> c.name().equals("web"))
                .extracting(ContainerState::exitCode).containsExactly(137);
    }

    @Test
    void aClosedSubscriptionWakesNothing() {
        // Given
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.caughtUp();
        ContainerRuntime.Subscription events = engine.watchEvents();

        // When
        events.close();
        runtime.exit("t1", "web", 7);

        // Then
        assertThat(runtime.listenerCount()).isZero();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void anEventBeforeTheDesiredStateIsWholeActsOnNothing() {
        // Given: a task read from Kafka, its containers left running by an earlier agent
        TaskEngine before = new TaskEngine(Fixtures.INSTANCE, runtime, change -> true, Runnable::run, Clock.systemUTC(),
                Duration.ofSeconds(30));
        before.desired(desired("t1", 1, TaskStatus.RUNNING));
        before.caughtUp();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        engine.watchEvents();

        // When
        runtime.exit("t1", "web", 7);

        // Then
        assertThat(reported).isEmpty();
        engine.caughtUp();
        assertThat(last().lastStatus()).isEqualTo(TaskStatus.STOPPED);
    }
}
