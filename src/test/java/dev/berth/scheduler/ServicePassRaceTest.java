package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A StopTask that arrives while a service's pass is stopping the same task: the two write
 * one after the other, each version after the last, never two records of one version (of
 * which the state would keep the first and compaction the last).
 */
class ServicePassRaceTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofDays(365), Duration.ofHours(1),
            Duration.ofDays(365));
    private final AppliedWriter applied = new AppliedWriter(state);
    private volatile Runnable beforeTheNextStop;
    private final StateWriter writer = new StateWriter() {
        @Override
        public CompletableFuture<Void> submit(List<StateChange> changes) {
            Runnable hook = beforeTheNextStop;
            if (hook != null && changes.stream().anyMatch(c -> c instanceof StateChange.Put put
                    && put.record() instanceof DesiredTask task && task.desiredStatus() == TaskStatus.STOPPED)) {
                beforeTheNextStop = null;
                hook.run();
            }
            return applied.submit(changes);
        }

        @Override
        public void commit(List<StateChange> changes) {
            submit(changes).join();
        }
    };
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));

    @Test
    void aStopTaskDuringAServicesPassWritesAfterThePassNotBesideIt() throws Exception {
        // Given: a service's task running, and the service scaled in to zero
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web",
                "busybox", 128, 256, null, null, null, null, null, null, null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, List.of(), List.of()),
                null);
        plane.serviceScheduler().reconcile();
        TaskView task = state.allTasks().get(0);
        state.apply(report(task.taskId(), task.instanceId(), TaskStatus.RUNNING, 1));
        plane.services().update(new Services.ServiceUpdate(null, "web", null, 0, null, false));

        // When: as the pass writes the task's stop, a StopTask of the same task arrives
        Thread[] stopTask = new Thread[1];
        beforeTheNextStop = () -> {
            stopTask[0] = new Thread(() -> plane.tasks().stop(null, task.desired().taskArn(), "by hand"));
            stopTask[0].start();
            try {
                stopTask[0].join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        plane.serviceScheduler().reconcile();
        stopTask[0].join(10_000);

        // Then: every record of the task has its own version
        List<Long> versions = applied.written().stream()
                .filter(r -> r instanceof DesiredTask d && d.taskId().equals(task.taskId()))
                .map(r -> ((DesiredTask) r).version()).toList();
        assertThat(versions).doesNotHaveDuplicates().isSorted();
        assertThat(state.task(task.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.STOPPED);
    }
}
