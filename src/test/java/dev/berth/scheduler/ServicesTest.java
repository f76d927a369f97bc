package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.StopCode;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Services over a writer that acknowledges everything at once (no Kafka) and agents that the
 * test plays: each {@link #agentsAct()} reports the tasks placed RUNNING and the tasks asked
 * to stop STOPPED, as real agents would, one step at a time.
 */
class ServicesTest {

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

    private void instances(int count) {
        for (int i = 1; i <= count; i++) {
            state.apply(instance("i-" + i, "default", 4096, 4096, T0, 1));
        }
    }

    private Services.ServiceSummary create(String name, Integer desired, String strategy) {
        return plane.services().create(new Services.ServiceSpec(null, name, "web", desired, strategy, null, List.of(),
                List.of()), null);
    }

    private Services.ServiceSummary service(String name) {
        return plane.services().find("default", name).orElseThrow();
    }

    private List<TaskView> unstopped() {
        return state.allTasks().stream().filter(t -> !t.isStopped()).toList();
    }

    /** The task's agent reports that it stopped on its own, with the stop code and reason, at the clock's time. */
    private void failed(TaskView task, StopCode code, String reason) {
        TaskStateChange r = report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, task.version() + 1);
        state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                r.lastStatus(), r.containers(), code.name(), reason, null, null, task.startedAt(), null,
                clock.instant(), clock.instant()));
    }

    /** The task's agent reports it RUNNING since the clock's time. */
    private void runningNow(TaskView task) {
        TaskStateChange r = report(task.taskId(), task.instanceId(), TaskStatus.RUNNING, task.version() + 1);
        state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                r.lastStatus(), r.containers(), null, null, null, null, clock.instant(), null, null, clock.instant()));
    }

    /** Every agent reports its tasks: placed ones RUNNING, ones asked to stop STOPPED. */
    private void agentsAct() {
        for (TaskView task : state.allTasks()) {
            if (task.desiredStatus() == TaskStatus.STOPPED && !task.isStopped()) {
                state.apply(report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, task.version() + 1));
            } else if (task.desiredStatus() == TaskStatus.RUNNING && task.lastStatus() == TaskStatus.PENDING) {
                state.apply(report(task.taskId(), task.instanceId(), TaskStatus.RUNNING, task.version() + 1));
            }
        }
    }

    @Test
    void aReplicaServiceConvergesToItsDesiredCountAndReachesASteadyState() {
        // Given
        instances(3);
        plane.taskDefinitions().register(web(256));
        create("web", 3, null);

        // When the scheduler acts, the agents run what it placed, and it looks again
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // Then
        Services.ServiceSummary web = service("web");
        assertThat(web.runningCount()).isEqualTo(3);
        assertThat(web.service().deployments()).singleElement().satisfies(d -> {
            assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED);
            assertThat(d.taskDefinition()).isEqualTo("web:1");
        });
        assertThat(web.service().events()).extracting(ServiceRecord.Event::message).first()
                .isEqualTo("(service web) has reached a steady state.");
        assertThat(web.service().events()).extracting(ServiceRecord.Event::message)
                .anyMatch(m -> m.startsWith("(service web) has started 3 tasks: (task "));
        assertThat(state.allTasks()).allSatisfy(t -> {
            assertThat(t.desired().group()).isEqualTo("service:web");
            assertThat(t.desired().startedBy()).isEqualTo(web.service().deployments().get(0).id());
        });
    }

    @Test
    void aServiceStartedAsExternalStartsExternalTasks() {
        // Given
        instances(1);
        plane.taskDefinitions().register(web(256));

        // When
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, List.of(), List.of(),
                List.of(), null, null, "EXTERNAL"), null);
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(service("web").service().launchTypeOrDefault()).isEqualTo("EXTERNAL");
        assertThat(unstopped()).singleElement()
                .satisfies(t -> assertThat(t.desired().launchTypeOrDefault()).isEqualTo("EXTERNAL"));
        assertThat(plane.services().list("default", null)).extracting(ServiceRecord::launchTypeOrDefault)
                .containsExactly("EXTERNAL");
    }

    @Test
    void aDesiredCountFarBeyondTheClusterPlacesWhatFitsAndSaysWhyNotTheRest() {
        // Given: two instances that hold 16 tasks each, and a service that asks for the most ECS's API can say
        instances(2);
        plane.taskDefinitions().register(web(256));
        create("web", Integer.MAX_VALUE, null);

        // When
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(unstopped()).hasSize(32);
        assertThat(service("web").service().events()).extracting(ServiceRecord.Event::message)
                .anyMatch(m -> m.contains("was unable to place a task"));
    }

    @Test
    void aTaskThatStopsOnItsOwnIsReplacedAndCountedAsFailed() {
        // Given a steady service of two
        instances(2);
        plane.taskDefinitions().register(web(256));
        create("web", 2, null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        TaskView victim = state.allTasks().get(0);

        // When its essential container exits
        TaskStateChange exited = report(victim.taskId(), victim.instanceId(), TaskStatus.STOPPED, victim.version() + 1);
        state.apply(new TaskStateChange(exited.schemaVersion(), exited.version(), exited.taskId(), exited.cluster(),
                exited.instanceId(), exited.lastStatus(), exited.containers(), StopCode.EssentialContainerExited.name(),
                "Essential container in task exited", exited.pullStartedAt(), exited.pullStoppedAt(),
                exited.startedAt(), exited.stoppingAt(), exited.stoppedAt(), exited.reportedAt()));
        plane.serviceScheduler().reconcile();

        // Then it is settled as STOPPED, a new task replaces it, and the deployment counts it
        assertThat(state.task(victim.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(unstopped()).hasSize(2).noneMatch(t -> t.taskId().equals(victim.taskId()));
        assertThat(service("web").service().deployments().get(0).failedTasks()).isEqualTo(1);
    }

    @Test
    void tasksThatKeepFailingToStartAreStartedLessAndLessOften() {
        // Given a service whose every task fails to start
        instances(1);
        plane.taskDefinitions().register(web(256));
        create("web", 1, null);
        List<Duration> waits = new java.util.ArrayList<>();

        // When its tasks fail, one after the other
        for (int failure = 0; failure < 4; failure++) {
            Duration waited = Duration.ZERO;
            plane.serviceScheduler().reconcile();
            while (unstopped().isEmpty()) {
                clock.advance(Duration.ofSeconds(1));
                waited = waited.plusSeconds(1);
                plane.serviceScheduler().reconcile();
            }
            waits.add(waited);
            TaskView task = unstopped().get(0);
            TaskStateChange stopped = report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, task.version() + 1);
            state.apply(new TaskStateChange(stopped.schemaVersion(), stopped.version(), stopped.taskId(),
                    stopped.cluster(), stopped.instanceId(), stopped.lastStatus(), stopped.containers(),
                    StopCode.TaskFailedToStart.name(), "CannotPullContainerError: no such image", null, null, null,
                    null, stopped.stoppedAt(), stopped.reportedAt()));
        }
        plane.serviceScheduler().reconcile();

        // Then the first failure was replaced at once, and from the second on each start waited
        // twice as long as the one before; the service says why
        assertThat(waits).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        assertThat(service("web").service().events()).extracting(ServiceRecord.Event::message).first()
                .isEqualTo("(service web) is unable to consistently start tasks successfully.");
        assertThat(service("web").service().deployments().get(0).failedTasks()).isEqualTo(4);
    }

    @Test
    void aTaskWhoseHealthCheckFailsIsStoppedReplacedAndCountedAsFailed() throws Exception {
        // Given a service of two whose container has a health check, both tasks running
        instances(2);
        plane.taskDefinitions().register(dev.berth.protocol.RecordCodec.newMapper().readValue(
                "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"busybox\", "
                        + "\"memory\": 256, \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"true\"]}}]}",
                TaskDefinition.class));
        create("web", 2, null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        TaskView sick = unstopped().get(0);

        // When its agent reports the container UNHEALTHY
        TaskStateChange r = report(sick.taskId(), sick.instanceId(), TaskStatus.RUNNING, sick.version() + 1);
        state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                r.lastStatus(), List.of(new dev.berth.protocol.ContainerState("web", "c-1", "busybox",
                        ContainerStatus.RUNNING, null, null, null, HealthStatus.UNHEALTHY, null)), null, null, null,
                null, clock.instant(), null, null, clock.instant()));
        plane.serviceScheduler().reconcile();

        // Then it is stopped as ECS stops it, another starts, and the deployment counts a failure
        TaskView stopped = state.task(sick.taskId()).orElseThrow();
        assertThat(stopped.desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.desired().stoppedReason()).isEqualTo("Task failed container health checks");
        assertThat(unstopped().stream().filter(t -> t.desiredStatus() == TaskStatus.RUNNING)).hasSize(2);
        assertThat(service("web").service().deployments().get(0).failedTasks()).isEqualTo(1);
    }

    @Test
    void aTaskWhoseHealthCheckFailsWithinTheGracePeriodRunsUntilTheGracePeriodEnds() throws Exception {
        // Given a service of one with a grace period of 60 s whose container has a health check, its task running
        instances(1);
        plane.taskDefinitions().register(dev.berth.protocol.RecordCodec.newMapper().readValue(
                "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"busybox\", "
                        + "\"memory\": 256, \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"true\"]}}]}",
                TaskDefinition.class));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, List.of(), List.of(),
                List.of(), null, null, null, 60), null);
        plane.serviceScheduler().reconcile();
        Instant started = clock.instant();
        agentsAct();
        TaskView sick = unstopped().get(0);

        // When its agent reports the container UNHEALTHY 30 s after the task started
        clock.advance(Duration.ofSeconds(30));
        TaskStateChange r = report(sick.taskId(), sick.instanceId(), TaskStatus.RUNNING, sick.version() + 1);
        state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                r.lastStatus(), List.of(new dev.berth.protocol.ContainerState("web", "c-1", "busybox",
                        ContainerStatus.RUNNING, null, null, null, HealthStatus.UNHEALTHY, null)), null, null, null,
                null, started, null, null, clock.instant()));
        plane.serviceScheduler().reconcile();

        // Then the service leaves it running while the grace period lasts
        assertThat(state.task(sick.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(unstopped()).hasSize(1);

        // And stops it, as unhealthy, once the grace period has passed
        clock.advance(Duration.ofSeconds(31));
        plane.serviceScheduler().reconcile();
        TaskView stopped = state.task(sick.taskId()).orElseThrow();
        assertThat(stopped.desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.desired().stoppedReason()).isEqualTo("Task failed container health checks");
    }

    @Test
    void theHealthCheckGracePeriodIsDescribedAndChangedWithoutANewDeployment() {
        // Given a service created with a grace period
        instances(1);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, List.of(), List.of(),
                List.of(), null, null, null, 120), null);
        String deployment = service("web").service().deployments().get(0).id();

        // When an update names only another grace period
        plane.services().update(new Services.ServiceUpdate(null, "web", null, null, null, false, null, null, 0));

        // Then the service has it, on the same deployment, and a negative one is refused by name
        assertThat(service("web").service().healthCheckGracePeriodSeconds()).isZero();
        assertThat(service("web").service().deployments()).extracting(ServiceRecord.Deployment::id)
                .containsExactly(deployment);
        assertThatThrownBy(() -> plane.services().update(new Services.ServiceUpdate(null, "web", null, null, null,
                false, null, null, -1)))
                .isInstanceOf(EcsException.class).hasMessageContaining("healthCheckGracePeriodSeconds");
        assertThat(service("web").service().healthCheckGracePeriodSeconds()).isZero();
    }

    @Test
    void anUpdateKeepsTheDeploymentSettingsItLeavesOut() {
        // Given a service with its own minimum, maximum and circuit breaker
        instances(2);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 2, null,
                new ServiceRecord.DeploymentConfiguration(150, 50, new ServiceRecord.CircuitBreaker(true, true)),
                List.of(), List.of()), null);

        // When an update names the maximum only (aws ecs update-service --deployment-configuration maximumPercent=200)
        plane.services().update(new Services.ServiceUpdate(null, "web", null, null,
                new ServiceRecord.DeploymentConfiguration(200, null, null), false));

        // Then the minimum and the circuit breaker are kept
        assertThat(service("web").service().deploymentConfiguration()).isEqualTo(
                new ServiceRecord.DeploymentConfiguration(200, 50, new ServiceRecord.CircuitBreaker(true, true)));
    }

    @Test
    void theCircuitBreakerFailsARolloutWhoseTasksKeepFailingAndRollsBack() {
        // Given a steady service of four with the circuit breaker and rollback on
        instances(4);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 4, null,
                new ServiceRecord.DeploymentConfiguration(null, null, new ServiceRecord.CircuitBreaker(true, true)),
                List.of(), List.of()), null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        String stable = service("web").service().deployments().get(0).id();

        // When it rolls to a revision whose tasks all fail to start
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        for (int step = 0; step < 20 && service("web").service().deployments().get(0).id().equals(stable) == false;
                step++) {
            plane.serviceScheduler().reconcile();
            for (TaskView task : unstopped()) {
                if (task.desired().taskDefinition().revision() == 2 && task.lastStatus() == TaskStatus.PENDING) {
                    TaskStateChange r = report(task.taskId(), task.instanceId(), TaskStatus.STOPPED,
                            task.version() + 1);
                    state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(),
                            r.instanceId(), r.lastStatus(), r.containers(), StopCode.TaskFailedToStart.name(),
                            "CannotPullContainerError: no such image", null, null, null, null, r.stoppedAt(),
                            r.reportedAt()));
                }
            }
            clock.advance(Duration.ofMinutes(1));
        }
        for (int step = 0; step < 3; step++) {
            plane.serviceScheduler().reconcile();
            agentsAct();
        }

        // Then the rollout failed, the service is back on revision 1 with its tasks untouched, and says so
        ServiceRecord web = service("web").service();
        assertThat(web.deployments().get(0).id()).isEqualTo(stable);
        assertThat(web.taskDefinition()).isEqualTo("web:1");
        assertThat(web.deployments()).filteredOn(d -> d.taskDefinition().equals("web:2")).allSatisfy(d ->
                assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.FAILED));
        assertThat(unstopped()).hasSize(4)
                .allSatisfy(t -> assertThat(t.desired().taskDefinition().revision()).isEqualTo(1));
        assertThat(web.events()).extracting(ServiceRecord.Event::message)
                .anyMatch(m -> m.endsWith("deployment failed: tasks failed to start."))
                .anyMatch(m -> m.equals("(service web) rolling back to deployment " + stable + "."));
    }

    @Test
    void theCircuitBreakerRollsBackToADeploymentWhoseTasksAreAllGone() {
        // Given a steady service of two that may drop to no healthy task during a rollout
        instances(2);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 2, null,
                new ServiceRecord.DeploymentConfiguration(100, 0, new ServiceRecord.CircuitBreaker(true, true)),
                List.of(), List.of()), null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        String stable = service("web").service().deployments().get(0).id();

        // When it rolls to a revision whose tasks all fail to start: the old tasks stop first
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        for (int step = 0; step < 20 && !service("web").service().deployments().get(0).id().equals(stable); step++) {
            plane.serviceScheduler().reconcile();
            agentsAct();
            for (TaskView task : unstopped()) {
                if (task.desired().taskDefinition().revision() == 2 && task.desiredStatus() == TaskStatus.RUNNING) {
                    failed(task, StopCode.TaskFailedToStart, "CannotPullContainerError: no such image");
                }
            }
            clock.advance(Duration.ofMinutes(1));
        }
        for (int step = 0; step < 4; step++) {
            plane.serviceScheduler().reconcile();
            agentsAct();
        }

        // Then it is back on revision 1, running both tasks again
        ServiceRecord web = service("web").service();
        assertThat(web.deployments().get(0).id()).isEqualTo(stable);
        assertThat(web.taskDefinition()).isEqualTo("web:1");
        assertThat(unstopped()).hasSize(2).allSatisfy(t -> {
            assertThat(t.desired().taskDefinition().revision()).isEqualTo(1);
            assertThat(t.isRunning()).isTrue();
        });
        assertThat(web.events()).extracting(ServiceRecord.Event::message)
                .anyMatch(m -> m.equals("(service web) rolling back to deployment " + stable + "."));
    }

    @Test
    void aTaskThatBecomesHealthyResetsTheCircuitBreakersCount() {
        // Given a steady service of six with the circuit breaker (threshold 3)
        instances(6);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 6, null,
                new ServiceRecord.DeploymentConfiguration(null, null, new ServiceRecord.CircuitBreaker(true, true)),
                List.of(), List.of()), null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // When it rolls to revision 2, whose tasks run, and three of them crash over time, each
        // crash followed by a replacement that runs
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        int crashes = 0;
        for (int step = 0; step < 12; step++) {
            clock.advance(Duration.ofMinutes(1));
            plane.serviceScheduler().reconcile();
            for (TaskView task : unstopped()) {
                if (task.desiredStatus() == TaskStatus.STOPPED) {
                    state.apply(report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, task.version() + 1));
                } else if (task.lastStatus() == TaskStatus.PENDING) {
                    runningNow(task);
                }
            }
            clock.advance(Duration.ofMinutes(1));
            if (crashes < 3 && step % 2 == 1) {
                unstopped().stream().filter(t -> t.desired().taskDefinition().revision() == 2 && t.isRunning())
                        .findFirst().ifPresent(t -> failed(t, StopCode.EssentialContainerExited,
                                "Essential container in task exited"));
                crashes++;
            }
        }

        // Then the rollout was never failed: each crash came after a task became healthy
        ServiceRecord web = service("web").service();
        assertThat(crashes).isEqualTo(3);
        assertThat(web.taskDefinition()).isEqualTo("web:2");
        assertThat(web.deployments()).singleElement().satisfies(d -> {
            assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED);
            assertThat(d.failedTasks()).isLessThan(3);
        });
    }

    @Test
    void aTaskThatFailsIsCountedByItsServiceThoughTheTaskRoundRunsBeforeTheNextServicePass() {
        // Given a service of one whose tasks fail to start
        instances(1);
        plane.taskDefinitions().register(web(256));
        create("web", 1, null);

        // When each failure is read between the two halves of a reconcile round
        for (int failure = 0; failure < 4; failure++) {
            plane.serviceScheduler().reconcile();
            while (unstopped().isEmpty()) {
                clock.advance(Duration.ofMinutes(1));
                plane.serviceScheduler().reconcile();
            }
            failed(unstopped().get(0), StopCode.TaskFailedToStart, "CannotPullContainerError: no such image");
            plane.tasks().reconcile(new dev.berth.scheduler.reconcile.TaskReconciler(Duration.ofHours(1)));
        }
        plane.serviceScheduler().reconcile();

        // Then the service counted all four, and backs off
        ServiceRecord.Deployment primary = service("web").service().deployments().get(0);
        assertThat(primary.failedTasks()).isEqualTo(4);
        assertThat(primary.failuresInARow()).isEqualTo(4);
        assertThat(primary.noStartBefore()).isNotNull();
    }

    @Test
    void aRollingDeploymentStaysWithinItsBoundsAndCompletes() {
        // Given a steady service of four, with the default 100 % healthy and 200 % at most
        instances(4);
        plane.taskDefinitions().register(web(256));
        create("web", 4, null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // When it rolls to revision 2
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));

        // Then each step keeps at most 8 tasks and at least 4 healthy, until only revision 2 runs
        int mostAtOnce = 0;
        for (int step = 0; step < 10; step++) {
            plane.serviceScheduler().reconcile();
            mostAtOnce = Math.max(mostAtOnce, unstopped().size());
            assertThat(unstopped().stream().filter(t -> t.isRunning() && t.desiredStatus() == TaskStatus.RUNNING)
                    .count()).as("healthy at step " + step).isGreaterThanOrEqualTo(4);
            agentsAct();
        }
        ServiceRecord web = service("web").service();
        assertThat(mostAtOnce).isEqualTo(8);
        assertThat(web.deployments()).singleElement().satisfies(d -> {
            assertThat(d.taskDefinition()).isEqualTo("web:2");
            assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED);
        });
        assertThat(unstopped()).hasSize(4)
                .allSatisfy(t -> assertThat(t.desired().taskDefinition().revision()).isEqualTo(2));
        assertThat(web.events()).extracting(ServiceRecord.Event::message)
                .anyMatch(m -> m.endsWith("deployment completed."));
    }

    @Test
    void withRoomForNoExtraTaskOldTasksStopBeforeNewOnesStart() {
        // Given a service of four that may drop to 50 % healthy but never exceed 100 %
        instances(4);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 4, null,
                new ServiceRecord.DeploymentConfiguration(100, 50, null), List.of(), List.of()), null);
        plane.serviceScheduler().reconcile();
        agentsAct();

        // When it rolls
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        for (int step = 0; step < 10; step++) {
            plane.serviceScheduler().reconcile();
            assertThat(unstopped()).as("tasks at step " + step).hasSizeLessThanOrEqualTo(4);
            assertThat(unstopped().stream().filter(t -> t.isRunning() && t.desiredStatus() == TaskStatus.RUNNING)
                    .count()).as("healthy at step " + step).isGreaterThanOrEqualTo(2);
            agentsAct();
        }

        // Then
        assertThat(unstopped()).hasSize(4)
                .allSatisfy(t -> assertThat(t.desired().taskDefinition().revision()).isEqualTo(2));
    }

    @Test
    void aDaemonServiceRunsOneTaskOnEveryInstanceAndFollowsTheInstances() {
        // Given
        instances(3);
        plane.taskDefinitions().register(web(256));
        create("agent", null, ServiceRecord.DAEMON);
        plane.serviceScheduler().reconcile();
        agentsAct();

        // When an instance joins and another is deregistered
        state.apply(instance("i-4", "default", 4096, 4096, T0, 1));
        state.apply(new InstanceControl(BerthRecord.SCHEMA_VERSION, 1, "i-1", "default", InstanceControl.DEREGISTERED, T0));
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // Then exactly one task runs on each registered instance
        Map<String, Long> perInstance = unstopped().stream()
                .collect(Collectors.groupingBy(TaskView::instanceId, Collectors.counting()));
        assertThat(perInstance).containsOnlyKeys("i-2", "i-3", "i-4").allSatisfy((id, n) -> assertThat(n).isOne());
        assertThat(service("agent").desiredCount()).isEqualTo(3);
        assertThat(service("agent").service().events()).extracting(ServiceRecord.Event::message).first()
                .isEqualTo("(service agent) has reached a steady state.");
    }

    @Test
    void aReplicaServiceSpreadsOverInstancesByDefault() {
        // Given three instances with room for all three tasks on any one of them
        instances(3);
        plane.taskDefinitions().register(web(256));

        // When
        create("web", 3, null);
        plane.serviceScheduler().reconcile();

        // Then ECS's service default (spread) put one task on each
        assertThat(unstopped()).extracting(TaskView::instanceId).containsExactlyInAnyOrder("i-1", "i-2", "i-3");
    }

    @Test
    void aDaemonServiceRunsOnlyWhereItsConstraintHolds() {
        // Given two instances marked for the daemon and one not
        for (String id : List.of("i-1", "i-2", "i-3")) {
            state.apply(new dev.berth.protocol.InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, id, "default",
                    id + ".local", "0.1.0", new dev.berth.model.Resources(4096, 4096, java.util.Set.of()),
                    Map.of("role", id.equals("i-3") ? "db" : "web"), T0, T0, false, null, null, null));
        }
        plane.taskDefinitions().register(web(256));

        // When
        plane.services().create(new Services.ServiceSpec(null, "logs", "web", null, ServiceRecord.DAEMON, null,
                List.of(new dev.berth.model.PlacementConstraint("memberOf", "attribute:role == web")), List.of()),
                null);
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(unstopped()).extracting(TaskView::instanceId).containsExactlyInAnyOrder("i-1", "i-2");

        // When they run, and then one of them is set DRAINING
        agentsAct();
        plane.serviceScheduler().reconcile();

        // Then it wants as many tasks as instances take them, and says steady with that count
        assertThat(service("logs").desiredCount()).isEqualTo(2);
        assertThat(service("logs").runningCount()).isEqualTo(2);
        assertThat(service("logs").service().events()).extracting(ServiceRecord.Event::message).first()
                .isEqualTo("(service logs) has reached a steady state.");
        plane.containerInstances().updateState(null, List.of("i-1"), "DRAINING");
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        assertThat(service("logs").desiredCount()).isOne();
        assertThat(service("logs").runningCount()).isOne();
    }

    @Test
    void aDaemonRollsWithinItsMinimumHealthyPercent() {
        // Given a daemon on four instances that keeps at least half of them healthy
        instances(4);
        plane.taskDefinitions().register(web(256));
        plane.services().create(new Services.ServiceSpec(null, "logs", "web", null, ServiceRecord.DAEMON,
                new ServiceRecord.DeploymentConfiguration(100, 50, null), List.of(), List.of()), null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // When it rolls to revision 2, step by step
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "logs", "web:2", null, null, false));
        for (int step = 0; step < 8; step++) {
            plane.serviceScheduler().reconcile();
            assertThat(unstopped().stream().filter(t -> t.isRunning() && t.desiredStatus() == TaskStatus.RUNNING)
                    .count()).as("healthy at step " + step).isGreaterThanOrEqualTo(2);
            agentsAct();
        }

        // Then every instance runs revision 2
        assertThat(unstopped()).hasSize(4)
                .allSatisfy(t -> assertThat(t.desired().taskDefinition().revision()).isEqualTo(2));
        assertThat(service("logs").service().deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED));
    }

    @Test
    void deletingADaemonStopsItsTaskOnADrainingInstanceWhereOtherServicesStillRun() {
        // Given a daemon and a service whose task cannot leave the one other instance: no room elsewhere
        state.apply(instance("i-1", "default", 4096, 512, T0, 1));
        state.apply(instance("i-2", "default", 4096, 256, T0, 1));
        plane.taskDefinitions().register(web(256));
        create("logs", null, ServiceRecord.DAEMON);
        plane.serviceScheduler().reconcile();
        agentsAct();
        create("web", 1, null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        assertThat(unstopped()).filteredOn(t -> "service:web".equals(t.desired().group()))
                .extracting(TaskView::instanceId).containsExactly("i-1");
        plane.containerInstances().updateState(null, List.of("i-1"), "DRAINING");
        plane.serviceScheduler().reconcile();
        agentsAct();

        // When the daemon is deleted
        plane.services().delete(null, "logs", false);
        for (int step = 0; step < 3; step++) {
            plane.serviceScheduler().reconcile();
            agentsAct();
        }

        // Then its task on the draining instance stopped too, and it is INACTIVE
        assertThat(unstopped()).noneMatch(t -> "service:logs".equals(t.desired().group()));
        assertThat(service("logs").service().status()).isEqualTo(ServiceRecord.INACTIVE);
    }

    @Test
    void anUpdateToARevisionWhoseConstraintsWouldPassTheLimitWithTheServicesIsRefused() {
        // Given: a service with six constraints of its own
        instances(1);
        plane.taskDefinitions().register(web(256));
        List<dev.berth.model.PlacementConstraint> six = java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> new dev.berth.model.PlacementConstraint("memberOf", "attribute:a" + i + " != x"))
                .toList();
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, six, List.of()), null);
        List<dev.berth.model.PlacementConstraint> fiveMore = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> new dev.berth.model.PlacementConstraint("memberOf", "attribute:b" + i + " != x"))
                .toList();
        plane.taskDefinitions().register(new TaskDefinition(null, "web", null, web(128).containers(), null, null,
                null, null, null, null, fiveMore, null, null, null, null));

        // Then: 11 together is refused by name, and nothing changed
        assertThatThrownBy(() -> plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null,
                false))).isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageContaining("at most 10");
        assertThat(service("web").service().taskDefinition()).isEqualTo("web:1");
    }

    @Test
    void aStandaloneTaskInTheServicesGroupIsLeftAloneAsEcsLeavesStandaloneTasks() {
        // Given: a steady service of two, and a task RunTask put in the group service:web
        instances(3);
        plane.taskDefinitions().register(web(256));
        create("web", 2, null);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        TaskView standalone = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "me", "service:web"), 1)
                .tasks().get(0);
        agentsAct();

        // When the service rolls to revision 2
        plane.taskDefinitions().register(web(128));
        plane.services().update(new Services.ServiceUpdate(null, "web", "web:2", null, null, false));
        for (int step = 0; step < 6; step++) {
            plane.serviceScheduler().reconcile();
            agentsAct();
        }

        // Then the standalone task still runs, and the service counts only its own two
        assertThat(state.task(standalone.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);
        assertThat(service("web").runningCount()).isEqualTo(2);
        assertThat(service("web").service().deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(ServiceRecord.Deployment.COMPLETED));
    }

    @Test
    void aServiceWithABadConstraintIsRefusedNamingWhere() {
        instances(1);
        plane.taskDefinitions().register(web(256));
        assertThatThrownBy(() -> plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null,
                List.of(new dev.berth.model.PlacementConstraint("memberOf", "attribute:role === web")), List.of()),
                null)).isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageContaining("character");
    }

    @Test
    void drainingAnInstanceMovesServiceTasksAwayWithinBoundsAndItsDaemonTaskLast() {
        // Given a service with one task on each of two instances, a daemon on both, a standalone task on i-1
        instances(3);
        plane.taskDefinitions().register(web(256));
        create("web", 2, null);
        create("logs", null, ServiceRecord.DAEMON);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();
        String busy = unstopped().stream().filter(t -> "service:web".equals(t.desired().group()))
                .map(TaskView::instanceId).findFirst().orElseThrow();
        plane.tasks().start(new Tasks.TaskRequest(null, "web", null, "me", null), List.of(busy));
        TaskView standalone = unstopped().stream().filter(t -> "family:web".equals(t.desired().group())).findFirst()
                .orElseThrow();
        agentsAct();

        // When that instance is set DRAINING
        ContainerInstances.StateUpdate update = plane.containerInstances().updateState(null, List.of(busy),
                "DRAINING");
        assertThat(update.failures()).isEmpty();
        plane.serviceScheduler().reconcile();

        // Then a replacement starts elsewhere first (200 % allows it), while the daemon task stays
        assertThat(unstopped()).filteredOn(t -> t.instanceId().equals(busy))
                .extracting(t -> t.desired().group()).contains("service:web", "service:logs");
        for (int step = 0; step < 4; step++) {
            agentsAct();
            plane.serviceScheduler().reconcile();
        }

        // Then the web task moved away, the daemon task went last, and standalone tasks stay
        assertThat(unstopped()).filteredOn(t -> t.instanceId().equals(busy))
                .extracting(TaskView::taskId).containsExactly(standalone.taskId());
        assertThat(unstopped()).filteredOn(t -> "service:web".equals(t.desired().group())).hasSize(2)
                .noneMatch(t -> t.instanceId().equals(busy));
        assertThat(state.instanceStatus(busy)).isEqualTo("DRAINING");

        // When it is ACTIVE again, the daemon comes back to it
        plane.containerInstances().updateState(null, List.of(busy), "ACTIVE");
        plane.serviceScheduler().reconcile();
        assertThat(unstopped()).filteredOn(t -> t.instanceId().equals(busy))
                .extracting(t -> t.desired().group()).contains("service:logs");
    }

    @Test
    void deletingAServiceAboveZeroNeedsForceThenDrainsItToInactive() {
        // Given
        instances(2);
        plane.taskDefinitions().register(web(256));
        create("web", 2, null);
        plane.serviceScheduler().reconcile();
        agentsAct();

        // Then
        assertThatThrownBy(() -> plane.services().delete(null, "web", false))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("The service cannot be stopped while it is scaled above 0.");

        // When
        assertThat(plane.services().delete(null, "web", true).service().status()).isEqualTo(ServiceRecord.DRAINING);
        plane.serviceScheduler().reconcile();
        agentsAct();
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(unstopped()).isEmpty();
        assertThat(state.allTasks()).allSatisfy(t -> assertThat(t.stopCode())
                .isEqualTo(StopCode.ServiceSchedulerInitiated.name()));
        assertThat(service("web").service().status()).isEqualTo(ServiceRecord.INACTIVE);
        assertThat(service("web").service().events()).extracting(ServiceRecord.Event::message).first()
                .satisfies(m -> assertThat(m).startsWith("(service web) has stopped 2 running tasks: (task "));
        assertThat(plane.services().list("default", null)).isEmpty();
    }

    @Test
    void creatingTheSameServiceAgainIsIdempotentAndAnotherSpecIsRefused() {
        // Given
        instances(1);
        plane.taskDefinitions().register(web(256));
        ServiceRecord first = create("web", 1, null).service();

        // When the same request comes again
        ServiceRecord again = create("web", 1, null).service();

        // Then nothing new was written
        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> create("web", 2, null))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("Creation of service was not idempotent.");
        plane.services().create(new Services.ServiceSpec(null, "api", "web", 1, null, null, List.of(), List.of()),
                "token-1");
        assertThatThrownBy(() -> plane.services().create(new Services.ServiceSpec(null, "api2", "web", 1, null, null,
                List.of(), List.of()), "token-1"))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ConflictException));
    }

    @Test
    void aServiceThatCannotBePlacedSaysWhyInItsEvents() {
        // Given one instance too small for the task
        state.apply(instance("i-1", "default", 4096, 128, T0, 1));
        plane.taskDefinitions().register(web(256));
        create("web", 1, null);

        // When
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(service("web").service().events()).extracting(ServiceRecord.Event::message).first()
                .isEqualTo("(service web) was unable to place a task because no container instance met all of its "
                        + "requirements. The closest matching (container-instance i-1) has insufficient memory "
                        + "available. 1 instance: 1 RESOURCE:MEMORY.");
        assertThat(state.allTasks()).isEmpty();
    }

    @Test
    void updatingAnUnknownOrDeletedServiceIsRefusedByName() {
        instances(1);
        plane.taskDefinitions().register(web(256));
        assertThatThrownBy(() -> plane.services().update(new Services.ServiceUpdate(null, "nope", null, 1, null,
                false))).isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ServiceNotFoundException));
        create("web", 0, null);
        plane.services().delete(null, "web", false);
        assertThatThrownBy(() -> plane.services().update(new Services.ServiceUpdate(null, "web", null, 1, null,
                false))).isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ServiceNotActiveException));
    }

    @Test
    void anUnhealthyTaskIsNotStoppedWhileTheReaderHasNotReadToTheEndRecently() throws Exception {
        // Given: a state that the reader feeds; a service with a grace period of 60 s, its task reported UNHEALTHY
        state.expectReader();
        state.readToEnd(clock.instant());
        instances(1);
        plane.taskDefinitions().register(dev.berth.protocol.RecordCodec.newMapper().readValue(
                "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"busybox\", "
                        + "\"memory\": 256, \"healthCheck\": {\"command\": [\"CMD-SHELL\", \"true\"]}}]}",
                TaskDefinition.class));
        plane.services().create(new Services.ServiceSpec(null, "web", "web", 1, null, null, List.of(), List.of(),
                List.of(), null, null, null, 60), null);
        plane.serviceScheduler().reconcile();
        Instant started = clock.instant();
        agentsAct();
        TaskView sick = unstopped().get(0);
        TaskStateChange r = report(sick.taskId(), sick.instanceId(), TaskStatus.RUNNING, sick.version() + 1);
        state.apply(new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                r.lastStatus(), List.of(new dev.berth.protocol.ContainerState("web", "c-1", "busybox",
                        ContainerStatus.RUNNING, null, null, null, HealthStatus.UNHEALTHY, null)), null, null, null,
                null, started, null, null, clock.instant()));

        // When: the grace period ends while the process is paused, and the round runs at once on the old state
        clock.advance(Duration.ofSeconds(70));
        plane.serviceScheduler().reconcile();

        // Then: the task runs on: a HEALTHY report may wait in Kafka, unread
        assertThat(state.task(sick.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);

        // When: the reader has read to the end, and the task is still UNHEALTHY
        state.readToEnd(clock.instant());
        plane.serviceScheduler().reconcile();

        // Then
        assertThat(state.task(sick.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.STOPPED);
    }
}
