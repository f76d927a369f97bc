package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.TaskProtection.Outcome;
import dev.berth.scheduler.TaskProtection.ProtectedTask;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Task scale-in protection kept with the task and honoured by the service scheduler on
 * scale-in and in deployments, over a writer that acknowledges at once and agents the test plays.
 */
class TaskProtectionTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofDays(365), Duration.ofHours(1),
            Duration.ofDays(365));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));

    private static TaskDefinition web(int memory) {
        return new TaskDefinition(null, "web", null, List.of(new ContainerDefinition("web", "busybox", 128, memory,
                null, null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private void steadyService(int count) {
        for (int i = 1; i <= count; i++) {
            state.apply(instance("i-" + i, "default", 4096, 4096, T0, 1));
        }
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", count, null, null, List.of(),
                List.of()), null);
        settle();
    }

    /** Service passes, with the agents running what was placed and stopping what was asked to stop. */
    private void settle() {
        for (int step = 0; step < 6; step++) {
            plane.serviceScheduler().reconcile();
            for (TaskView task : state.allTasks()) {
                if (task.desiredStatus() == TaskStatus.STOPPED && !task.isStopped()) {
                    state.apply(report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, task.version() + 1));
                } else if (task.desiredStatus() == TaskStatus.RUNNING && task.lastStatus() == TaskStatus.PENDING) {
                    state.apply(report(task.taskId(), task.instanceId(), TaskStatus.RUNNING, task.version() + 1));
                }
            }
        }
    }

    private List<TaskView> unstopped() {
        return state.allTasks().stream().filter(t -> !t.isStopped()).toList();
    }

    private Outcome protect(List<String> taskIds, Integer minutes) {
        return plane.taskProtection().update(null, taskIds, true, minutes);
    }

    @Test
    void aProtectedTaskIsNotChosenOnScaleInUntilItsProtectionExpires() {
        // Given a steady service of three, two of them protected (for ECS's default 120 minutes)
        steadyService(3);
        List<String> ids = unstopped().stream().map(TaskView::taskId).sorted().toList();
        Outcome protectedTwo = protect(ids.subList(0, 2), null);

        // When it scales in to one
        plane.services().update(new Services.ServiceUpdate(null, "web", null, 1, null, false));
        settle();

        // Then only the unprotected task stopped, and the service waits above its desired count
        assertThat(protectedTwo.protectedTasks()).hasSize(2).allSatisfy(p -> {
            assertThat(p.protectionEnabled()).isTrue();
            assertThat(p.expirationDate()).isEqualTo(T0.plus(Duration.ofMinutes(120)));
        });
        assertThat(unstopped()).extracting(TaskView::taskId).containsExactlyInAnyOrderElementsOf(ids.subList(0, 2));

        // When the protection expires
        clock.advance(Duration.ofMinutes(121));
        settle();

        // Then the service scales in to its desired count
        assertThat(unstopped()).hasSize(1);
        assertThat(plane.taskProtection().get(null, List.of(unstopped().get(0).taskId())).protectedTasks())
                .singleElement().satisfies(p -> {
                    assertThat(p.protectionEnabled()).isFalse();
                    assertThat(p.expirationDate()).isNull();
                });
    }

    @Test
    void aDeploymentDoesNotRetireAProtectedTaskUntilItsProtectionIsRemoved() {
        // Given a steady service of two, one of them protected
        steadyService(2);
        TaskView kept = unstopped().get(0);
        protect(List.of(kept.taskId()), 30);

        // When the service rolls to a new revision
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        settle();

        // Then the protected old task still runs and the deployment is not complete
        assertThat(unstopped()).extracting(TaskView::taskId).contains(kept.taskId());
        ServiceRecord web = plane.services().find("default", "web").orElseThrow().service();
        assertThat(web.deployments().get(0).rolloutState()).isEqualTo(ServiceRecord.Deployment.IN_PROGRESS);
        assertThat(web.deployments()).hasSize(2);

        // When its protection is removed
        Outcome removed = plane.taskProtection().update(null, List.of(kept.taskId()), false, null);
        settle();

        // Then the deployment retires it and completes
        assertThat(removed.protectedTasks()).containsExactly(new ProtectedTask(kept.desired().taskArn(), false,
                null));
        assertThat(unstopped()).hasSize(2).allSatisfy(t ->
                assertThat(t.desired().taskDefinition().revision()).isEqualTo(2));
        assertThat(plane.services().find("default", "web").orElseThrow().service().deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED));
    }

    @Test
    void onlyAServicesRunningTasksTakeProtectionWithinEcsLimits() {
        // Given a service's task and a standalone one
        steadyService(1);
        TaskView serviceTask = unstopped().get(0);
        TaskView standalone = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, null, null), 1).tasks()
                .get(0);
        // and one that RunTask put in the service's group: still standalone
        String group = unstopped().get(0).desired().group();
        TaskView inTheGroup = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, null, group), 1).tasks()
                .get(0);

        // When
        Outcome outcome = protect(List.of(serviceTask.taskId(), standalone.taskId(), "nope", inTheGroup.taskId()),
                2880);

        // Then
        assertThat(outcome.protectedTasks()).extracting(ProtectedTask::taskArn)
                .containsExactly(serviceTask.desired().taskArn());
        assertThat(outcome.failures()).extracting(Failure::reason)
                .containsExactly(TaskProtection.TASK_NOT_VALID, Failure.MISSING, TaskProtection.TASK_NOT_VALID);
        assertThat(state.task(serviceTask.taskId()).orElseThrow().desired().protectedUntil())
                .isEqualTo(T0.plus(Duration.ofMinutes(2880)));
        assertThatThrownBy(() -> protect(List.of(serviceTask.taskId()), 2881))
                .hasMessageContaining("Invalid 'expiresInMinutes'");
        assertThatThrownBy(() -> protect(List.of(serviceTask.taskId()), 0))
                .hasMessageContaining("Invalid 'expiresInMinutes'");
        assertThatThrownBy(() -> plane.taskProtection().update(null, List.of(serviceTask.taskId()), null, null))
                .hasMessageContaining("Invalid 'protectionEnabled'");
        assertThatThrownBy(() -> plane.taskProtection().get(null, List.of()))
                .hasMessageContaining("Invalid 'tasks'");
    }
}
