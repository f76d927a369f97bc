package dev.berth.scheduler;

import dev.berth.testing.SettableClock;
import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.instance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.Topic;
import dev.berth.model.PlacementStrategy;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.reconcile.TaskReconciler;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler's operations over a writer that acknowledges everything at once (no Kafka). */
class ControlPlaneTest {

    private final SettableClock clock = new SettableClock(T0);
    private final SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final ControlPlane plane = new ControlPlane(state, writer, new Arns("aws", "us-east-1", "000000000000"));

    private static TaskDefinition request(String family, int memory) {
        return new TaskDefinition(null, family, null, List.of(new ContainerDefinition("web", "busybox", 256, memory,
                null, null, null, null, null, null, null, null, null, null, null)), null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private Tasks.TaskRequest run(String taskDefinition) {
        return new Tasks.TaskRequest(null, taskDefinition, null, "tester", null);
    }

    @Test
    void registersRevisionsInOrderAndDescribesTheLatestActive() {
        // Given
        plane.taskDefinitions().register(request("web", 128));
        plane.taskDefinitions().register(request("web", 256));

        // When
        plane.taskDefinitions().deregister("web:2");
        TaskDefinition latest = plane.taskDefinitions().describe("web");

        // Then
        assertThat(latest.revision()).isEqualTo(1);
        assertThat(latest.taskDefinitionArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/web:1");
        assertThat(plane.taskDefinitions().describe("arn:aws:ecs:us-east-1:000000000000:task-definition/web:2")
                .status()).isEqualTo(TaskDefinition.INACTIVE);
        assertThat(plane.taskDefinitions().register(request("web", 64)).revision()).isEqualTo(3);
    }

    @Test
    void anUnknownTaskDefinitionIsAClientException() {
        assertThatThrownBy(() -> plane.taskDefinitions().describe("nope:1"))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                .hasMessage("Unable to describe task definition.");
    }

    @Test
    void runTaskPlacesOnTheBinpackedInstanceAndWritesTheDesiredTask() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        state.apply(instance("i-2", "default", 4096, 1024, T0, 1));

        // When
        Tasks.StartOutcome outcome = plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "tester", null,
                new PlacementOptions(null, List.of(new PlacementStrategy("binpack", "memory")))), 3);

        // Then
        assertThat(outcome.tasks()).extracting(TaskView::instanceId).containsExactly("i-2", "i-2", "i-1");
        assertThat(outcome.failures()).isEmpty();
        assertThat(writer.written()).filteredOn(DesiredTask.class::isInstance).hasSize(3);
        assertThat(outcome.tasks().get(0).lastStatus()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void runTaskWithoutAStrategyPlacesAtRandomAsEcsDoes() {
        // Given: two instances, one of which binpack would fill first
        plane.taskDefinitions().register(request("web", 16));
        state.apply(instance("i-1", "default", 65_536, 4096, T0, 1));
        state.apply(instance("i-2", "default", 65_536, 1024, T0, 1));

        // When: 40 tasks, one call each
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            used.add(plane.tasks().run(run("web"), 1).tasks().get(0).instanceId());
        }

        // Then: both instances got tasks (all 40 on one would happen once in 2^39 runs)
        assertThat(used).containsExactlyInAnyOrder("i-1", "i-2");
    }

    @Test
    void runTaskReportsResourceMemoryPerInstanceWhenNothingFits() {
        // Given
        plane.taskDefinitions().register(request("big", 8192));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));

        // When
        Tasks.StartOutcome outcome = plane.tasks().run(run("big"), 1);

        // Then
        assertThat(outcome.tasks()).isEmpty();
        assertThat(outcome.failures()).containsExactly(new Failure(
                "arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-1", "RESOURCE:MEMORY",
                "1 instance: 1 RESOURCE:MEMORY"));
    }

    @Test
    void runTaskWithoutInstancesIsAnInvalidParameter() {
        // Given
        plane.taskDefinitions().register(request("web", 128));

        // When / Then
        assertThatThrownBy(() -> plane.tasks().run(run("web"), 1))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("No Container Instances were found in your cluster.");
    }

    @Test
    void runTaskInAnUnknownClusterIsClusterNotFound() {
        assertThatThrownBy(() -> plane.tasks().run(new Tasks.TaskRequest("nope", "web", null, null, null), 1))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClusterNotFoundException))
                .hasMessage("Cluster not found.");
    }

    @Test
    void startTaskRefusesAnInstanceWhoseAgentWentQuiet() {
        // Given: the named instance's last heartbeat is older than the timeout
        plane.taskDefinitions().register(request("web", 128));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        clock.advance(Duration.ofMinutes(5));

        // When
        Tasks.StartOutcome outcome = plane.tasks().start(run("web"), List.of("i-1"));

        // Then
        assertThat(outcome.tasks()).isEmpty();
        assertThat(outcome.failures()).extracting(Failure::reason).containsExactly("AGENT");
    }

    @Test
    void startTaskOnADeregisteredInstanceFailsInactiveAndOnAnUnknownOneMissing() {
        // Given: i-1 was deregistered; i-9 was never registered
        plane.taskDefinitions().register(request("web", 128));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.containerInstances().deregister(null, "i-1", false);

        // When
        Tasks.StartOutcome outcome = plane.tasks().start(run("web"), List.of("i-1", "i-9"));

        // Then: ECS's reasons, "previously deregistered and cannot be used" and "does not exist"
        assertThat(outcome.tasks()).isEmpty();
        assertThat(outcome.failures()).extracting(Failure::arn, Failure::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                        "arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-1", "INACTIVE"),
                org.assertj.core.groups.Tuple.tuple(
                        "arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-9", "MISSING"));
    }

    @Test
    void stopTaskWritesDesiredStoppedWithUserInitiated() {
        // Given
        plane.taskDefinitions().register(request("web", 128));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);

        // When
        TaskView stopped = plane.tasks().stop(null, task.desired().taskArn(), null);

        // Then
        assertThat(stopped.desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("Task stopped by user");
        DesiredTask last = (DesiredTask) writer.written().get(writer.written().size() - 1);
        assertThat(last.desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(last.version()).isGreaterThan(task.desired().version());
    }

    @Test
    void startedByAndAStopReasonKeepToEcsLimitsAndNothingIsWrittenOtherwise() {
        // Given
        plane.taskDefinitions().register(request("web", 128));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);
        int before = writer.written().size();

        // Then
        assertThatThrownBy(() -> plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "s".repeat(129), null), 1))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageStartingWith("Invalid 'startedBy': up to 128 letters");
        assertThatThrownBy(() -> plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "team a", null), 1))
                .hasMessageStartingWith("Invalid 'startedBy'");
        assertThatThrownBy(() -> plane.tasks().start(new Tasks.TaskRequest(null, "web", null, "s".repeat(37), null),
                List.of("i-1"))).as("StartTask's startedBy is ECS's 36 at most")
                .hasMessageStartingWith("Invalid 'startedBy': up to 36 letters");
        assertThatThrownBy(() -> plane.tasks().run(new Tasks.TaskRequest(null, "web", new dev.berth.model.TaskOverride(
                List.of(new dev.berth.model.ContainerOverride("web", null, null, null, -100_000, null)), null, null),
                null, null), 1)).as("an override no definition could have places nothing")
                .hasMessageContaining("'memory'");
        assertThatThrownBy(() -> plane.tasks().stop(null, task.desired().taskArn(), "r".repeat(256)))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessage("Invalid 'reason': up to 255 characters are allowed, as in ECS; it has 256.");
        assertThat(writer.written()).hasSize(before);
        assertThat(plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "ecs-svc/team_a-1", null), 1).tasks())
                .hasSize(1);
        assertThat(plane.tasks().start(new Tasks.TaskRequest(null, "web", null, "s".repeat(36), null),
                List.of("i-1")).tasks()).hasSize(1);
        assertThat(plane.tasks().run(new Tasks.TaskRequest(null, "web", null, "s".repeat(128), null), 1).tasks())
                .hasSize(1);
        assertThat(plane.tasks().stop(null, task.desired().taskArn(), "r".repeat(255)).stoppedReason())
                .hasSize(255);
    }

    @Test
    void runTaskWritesItsTasksAndItsClientTokenAsOneTransaction() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        int before = writer.plans().size();

        // When
        Tasks.StartOutcome outcome = plane.tasks().run(run("web"), 3, "token-1");

        // Then: one plan holds the three tasks and the token
        assertThat(writer.plans()).hasSize(before + 1);
        List<StateChange> plan = writer.plans().get(before);
        assertThat(plan).hasSize(4);
        assertThat(plan).filteredOn(c -> c instanceof StateChange.Put p && p.record() instanceof DesiredTask)
                .hasSize(3);
        assertThat(outcome.tasks()).extracting(t -> t.desired().group()).containsOnly("family:web");
    }

    @Test
    void aRetryWithTheSameClientTokenAnswersTheSameTasksAndStartsNone() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        Tasks.StartOutcome first = plane.tasks().run(run("web"), 2, "retry-me");
        int plans = writer.plans().size();

        // When
        Tasks.StartOutcome retry = plane.tasks().run(run("web"), 2, "retry-me");

        // Then
        assertThat(retry.tasks()).extracting(TaskView::taskId)
                .containsExactlyElementsOf(first.tasks().stream().map(TaskView::taskId).toList());
        assertThat(writer.plans()).hasSize(plans);
        assertThat(state.tasks("default")).hasSize(2);
    }

    @Test
    void theSameClientTokenWithAnotherRequestIsAConflict() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.tasks().run(run("web"), 1, "once");

        // When / Then
        assertThatThrownBy(() -> plane.tasks().run(run("web"), 2, "once"))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ConflictException))
                .hasMessageContaining("same client token");
        assertThatThrownBy(() -> plane.tasks().run(run("web"), 1, "x".repeat(65)))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageContaining("clientToken");
    }

    @Test
    void aClientTokenIsForgottenAfterADayAndMayThenBeUsedAgain() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.tasks().run(run("web"), 1, "daily");
        clock.advance(ClientTokens.TTL.plusMinutes(1));
        state.apply(instance("i-1", "default", 4096, 4096, clock.instant(), 2));

        // When
        plane.tasks().reconcile(new dev.berth.scheduler.reconcile.TaskReconciler(Duration.ofHours(1)));
        Tasks.StartOutcome again = plane.tasks().run(run("web"), 1, "daily");

        // Then
        assertThat(writer.plans()).anySatisfy(plan -> assertThat(plan)
                .contains(new StateChange.ForgetClientToken(ClientTokens.key("RunTask", "default", "daily"))));
        assertThat(again.tasks()).hasSize(1);
    }

    @Test
    void aReportThatCameAfterItsTaskWasForgottenIsTombstonedAfterTheRetention() {
        // Given: an agent, down past the retention, sends a task's last report after its tombstones
        state.apply(dev.berth.scheduler.TestRecords.report("late", "i-1", TaskStatus.STOPPED, 4));
        TaskReconciler reconciler = new TaskReconciler(Duration.ofHours(1));

        // When: rounds run within, then past, the retention
        clock.advance(Duration.ofMinutes(59));
        plane.tasks().reconcile(reconciler);
        boolean keptWithin = state.held(Topic.TASK_EVENTS, "late") != null;
        clock.advance(Duration.ofMinutes(2));
        plane.tasks().reconcile(reconciler);

        // Then: tombstoned once, and no longer held
        assertThat(keptWithin).isTrue();
        assertThat(writer.plans()).flatExtracting(plan -> plan).containsOnlyOnce(new StateChange.ForgetReport("late"));
        assertThat(state.held(Topic.TASK_EVENTS, "late")).isNull();
    }

    @Test
    void oneInstanceNamedByItsIdAndByItsArnIsDrainedOnceAndAnsweredOnce() {
        // Given
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        String arn = new Arns("aws", "us-east-1", "000000000000").containerInstance("default", "i-1");

        // When
        ContainerInstances.StateUpdate update = plane.containerInstances().updateState(null, List.of("i-1", arn),
                InstanceControl.DRAINING);

        // Then: one control record written (two of one version would be refused as a stale write), one answer
        assertThat(update.instances()).hasSize(1);
        assertThat(writer.written()).filteredOn(InstanceControl.class::isInstance).hasSize(1);
    }

    @Test
    void silenceNobodyListenedToLosesNoInstance() {
        // Given: a task running on i-1, its agent heard at T0
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);
        state.apply(dev.berth.scheduler.TestRecords.report(task.taskId(), "i-1", TaskStatus.RUNNING, 1));
        TaskReconciler reconciler = new TaskReconciler(Duration.ofHours(1));
        plane.tasks().reconcile(reconciler);

        // When: this scheduler hears nothing for longer than the lost-after period (Kafka out of
        // reach, the process paused: no round ran), then its rounds go on, every 10 s
        clock.advance(state.instanceLostAfter().plusMinutes(1));
        plane.tasks().reconcile(reconciler);
        clock.advance(Duration.ofSeconds(10));
        plane.tasks().reconcile(reconciler);

        // Then: the agent is not lost for a silence nobody listened to
        assertThat(state.task(task.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);

        // And: silent for the whole period once listened to, it is
        for (long s = 0; s <= state.instanceLostAfter().toSeconds(); s += 10) {
            clock.advance(Duration.ofSeconds(10));
            plane.tasks().reconcile(reconciler);
        }
        assertThat(state.task(task.taskId()).orElseThrow().lastStatus()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void aNewLeaderGivesEveryAgentTheWholeLostAfterPeriodFromItsTakeOver() {
        // Given: an instance last heard long ago, replayed from Kafka by a scheduler that just took over
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);
        clock.advance(state.instanceLostAfter().multipliedBy(3));
        state.listeningFrom(clock.instant());

        // When
        clock.advance(Duration.ofSeconds(10));
        plane.tasks().reconcile(new TaskReconciler(Duration.ofHours(1)));

        // Then
        assertThat(state.task(task.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void theTasksOfALostInstanceStopWithTheReasonAndReleaseItsCapacity() {
        // Given: a task running on i-1, whose agent then goes silent
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);
        state.apply(dev.berth.scheduler.TestRecords.report(task.taskId(), "i-1", TaskStatus.RUNNING, 1));
        clock.advance(state.instanceLostAfter().plusSeconds(1));

        // When
        plane.tasks().reconcile(new dev.berth.scheduler.reconcile.TaskReconciler(Duration.ofHours(1)));

        // Then: STOPPED in its agent's stead, and the instance's memory is free again
        TaskView lost = state.task(task.taskId()).orElseThrow();
        assertThat(lost.lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(lost.stopCode()).isEqualTo("TerminationNotice");
        assertThat(lost.stoppedReason()).contains("i-1").contains("was lost");
        assertThat(lost.stoppedAt()).as("stopped when the scheduler stopped it, as DescribeTasks shows it")
                .isEqualTo(clock.instant());
        assertThat(lost.containers()).as("its containers are STOPPED with it, as ECS shows them")
                .extracting(dev.berth.protocol.ContainerState::lastStatus)
                .containsOnly(dev.berth.model.ContainerStatus.STOPPED);
        assertThat(state.instance("i-1").orElseThrow().remaining().memory()).isEqualTo(1024);

        // And: it is kept for the retention from when it was lost, then forgotten
        clock.advance(Duration.ofMinutes(59));
        plane.tasks().reconcile(new dev.berth.scheduler.reconcile.TaskReconciler(Duration.ofHours(1)));
        assertThat(state.allTasks()).extracting(TaskView::taskId).contains(task.taskId());
        clock.advance(Duration.ofMinutes(2));
        plane.tasks().reconcile(new dev.berth.scheduler.reconcile.TaskReconciler(Duration.ofHours(1)));
        assertThat(state.allTasks()).extracting(TaskView::taskId).doesNotContain(task.taskId());
    }

    @Test
    void deregisteringAnInstanceWithRunningTasksNeedsForceAndThenStopsThem() {
        // Given
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);

        // When / Then: without force, a task not yet STOPPED refuses the call
        assertThatThrownBy(() -> plane.containerInstances().deregister(null, "i-1", false))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException))
                .hasMessageContaining("Found running tasks on the instance");

        // When: with force
        plane.containerInstances().deregister(null, "arn:aws:ecs:us-east-1:000000000000:container-instance/default/i-1",
                true);

        // Then: the instance is gone, stays gone when its agent heartbeats again, and its task stopped
        assertThat(state.instances("default")).isEmpty();
        state.apply(instance("i-1", "default", 4096, 4096, T0, 2));
        assertThat(state.instance("i-1")).isEmpty();
        assertThat(state.task(task.taskId()).orElseThrow().lastStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(writer.plans().get(writer.plans().size() - 1))
                .anySatisfy(c -> assertThat(c).isEqualTo(new StateChange.ForgetInstance("i-1")));
    }

    @Test
    void deleteClusterIsRefusedWhileInstancesAreRegisteredAndThenLeavesItInactive() {
        // Given
        plane.clusters().create("doomed");
        state.apply(instance("i-9", "doomed", 4096, 4096, T0, 1));

        // When / Then: an instance holds it
        assertThatThrownBy(() -> plane.clusters().delete("doomed"))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.type())
                        .isEqualTo(EcsErrorType.ClusterContainsContainerInstancesException));

        // When: the instance leaves and the cluster is deleted
        plane.containerInstances().deregister("doomed", "i-9", false);
        Clusters.ClusterSummary deleted = plane.clusters().delete("doomed");

        // Then: INACTIVE, unknown to other calls, absent from the list, and CreateCluster revives it
        assertThat(deleted.cluster().status()).isEqualTo("INACTIVE");
        assertThatThrownBy(() -> plane.clusters().require("doomed"))
                .isInstanceOfSatisfying(EcsException.class,
                        e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClusterNotFoundException));
        assertThat(plane.clusters().list()).extracting(c -> c.clusterName()).doesNotContain("doomed");
        assertThat(plane.clusters().create("doomed").cluster().status()).isEqualTo("ACTIVE");
    }

    /** Holds the plans that place tasks until released, as a transaction still in flight would. */
    private static final class HeldWriter implements StateWriter {
        private final AppliedWriter applied;
        private final List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        HeldWriter(SchedulerState state) {
            this.applied = new AppliedWriter(state);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> submit(List<StateChange> changes) {
            boolean placesTasks = changes.stream()
                    .anyMatch(c -> c instanceof StateChange.Put p && p.record() instanceof DesiredTask);
            if (!placesTasks) {
                return applied.submit(changes);
            }
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            held.add(() -> {
                applied.commit(changes);
                done.complete(null);
            });
            return done;
        }

        void releaseAll() {
            held.forEach(Runnable::run);
            held.clear();
        }
    }

    @Test
    void aPlanStillBeingWrittenCountsForTheNextPlacement() throws Exception {
        // Given: one instance with 1024 MiB, and a writer whose transactions stay in flight
        HeldWriter held = new HeldWriter(state);
        ControlPlane inFlight = new ControlPlane(state, held, new Arns("aws", "us-east-1", "000000000000"));
        inFlight.taskDefinitions().register(request("big", 768));
        inFlight.taskDefinitions().register(request("small", 512));
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));

        // When: a RunTask is being written, and another asks for what would only fit without it
        java.util.concurrent.CompletableFuture<Tasks.StartOutcome> first = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> inFlight.tasks().run(run("big"), 1));
        org.awaitility.Awaitility.await().until(() -> !held.held.isEmpty());
        Tasks.StartOutcome second = inFlight.tasks().run(run("small"), 1);

        // Then: the second is refused for memory, the first lands once its transaction commits
        assertThat(second.tasks()).isEmpty();
        assertThat(second.failures()).extracting(Failure::reason).containsExactly("RESOURCE:MEMORY");
        assertThat(first).isNotDone();
        held.releaseAll();
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).tasks()).hasSize(1);
        assertThat(state.instance("i-1").orElseThrow().remaining().memory()).isEqualTo(256);
    }

    @Test
    void aStaticUdpHostPortTakenByOneTaskKeepsTheNextOffThatInstance() {
        // Given one instance and a task definition binding UDP host port 5353
        state.apply(instance("i-1", "default", 4096, 4096, T0, 1));
        plane.taskDefinitions().register(new TaskDefinition(null, "dns", null, List.of(new ContainerDefinition("dns",
                "busybox", 128, 64, null, null, null, null, null,
                List.of(new dev.berth.model.PortMapping(53, 5353, "udp")), null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));

        // When two are run, one call after the other
        Tasks.StartOutcome first = plane.tasks().run(run("dns"), 1);
        Tasks.StartOutcome second = plane.tasks().run(run("dns"), 1);

        // Then the second does not fit: its port is taken
        assertThat(first.tasks()).hasSize(1);
        assertThat(second.tasks()).isEmpty();
        assertThat(second.failures()).extracting(Failure::reason).containsExactly("RESOURCE:PORTS");
        assertThat(second.failures()).extracting(Failure::detail).containsExactly("1 instance: 1 RESOURCE:PORTS");
    }
    @Test
    void concurrentRunTaskCallsOfTwoShapesFillTheClusterExactlyAndOverbookNothing() throws Exception {
        // Given: four instances with room for 32 tasks of 512 MiB, or 16 of 1024 MiB
        plane.taskDefinitions().register(request("half", 512));
        plane.taskDefinitions().register(request("whole", 1024));
        for (int i = 1; i <= 4; i++) {
            state.apply(instance("i-" + i, "default", 65_536, 4096, T0, 1));
        }

        // When: 16 callers at once each ask for 4 tasks of one shape or the other, twice the room
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<Tasks.StartOutcome>> calls = new ArrayList<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int c = 0; c < 16; c++) {
            String family = c % 3 == 0 ? "whole" : "half";
            calls.add(callers.submit(() -> {
                start.await();
                return plane.tasks().run(run(family), 4);
            }));
        }
        start.countDown();
        int placedMemory = 0;
        int refused = 0;
        for (java.util.concurrent.Future<Tasks.StartOutcome> call : calls) {
            Tasks.StartOutcome outcome = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (TaskView task : outcome.tasks()) {
                placedMemory += task.desired().taskDefinition().containers().get(0).memory();
            }
            refused += outcome.failures().isEmpty() ? 0 : 1;
        }
        callers.shutdown();

        // Then: every instance is full to the MiB and none beyond it; the calls that found no room say so
        for (int i = 1; i <= 4; i++) {
            assertThat(state.instance("i-" + i).orElseThrow().remaining().memory()).isZero();
        }
        assertThat(placedMemory).isEqualTo(4 * 4096);
        assertThat(refused).isPositive();
    }
    @Test
    void aUdpPortTheAgentReservedIsShownAndKeepsATaskBindingItOffTheInstance() {
        // Given: an instance whose agent reserved UDP port 5353 (ECS_RESERVED_PORTS_UDP)
        state.apply(new dev.berth.protocol.InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, "i-1", "default",
                "i-1.local", "0.1.0", new dev.berth.model.Resources(4096, 4096, java.util.Set.of(22),
                        java.util.Set.of(5353)), java.util.Map.of(), T0, T0, false, null, null, null));
        plane.taskDefinitions().register(new TaskDefinition(null, "dns", null, List.of(new ContainerDefinition("dns",
                "busybox", 128, 64, null, null, null, null, null,
                List.of(new dev.berth.model.PortMapping(53, 5353, "udp")), null, null, null, null, null)), null, null,
                null, null, null, null, null, null, null, null, null));

        // When
        Tasks.StartOutcome outcome = plane.tasks().run(run("dns"), 1);

        // Then: the task does not fit, and the instance shows the port as registered and taken
        assertThat(outcome.failures()).extracting(Failure::reason).containsExactly("RESOURCE:PORTS");
        assertThat(state.instance("i-1").orElseThrow().remaining().portsUdp()).containsExactly(5353);
        assertThat(state.instance("i-1").orElseThrow().registered().portsUdp()).containsExactly(5353);
    }

    @Test
    void noInstanceIsLostWhileTheReaderHasNotReadToTheEndRecently() {
        // Given: a task running on i-1, in a state that the reader feeds, and the agent silent past the period
        state.expectReader();
        plane.taskDefinitions().register(request("web", 512));
        state.apply(instance("i-1", "default", 4096, 1024, T0, 1));
        TaskView task = plane.tasks().run(run("web"), 1).tasks().get(0);
        state.apply(dev.berth.scheduler.TestRecords.report(task.taskId(), "i-1", TaskStatus.RUNNING, 1));
        clock.advance(state.instanceLostAfter().plusSeconds(1));
        state.readToEnd(clock.instant().minus(SchedulerState.READ_TO_END_WITHIN).minusSeconds(1));
        TaskReconciler reconciler = new TaskReconciler(Duration.ofHours(1));

        // When: a round runs while the reader last read to the end too long ago
        plane.tasks().reconcile(reconciler);

        // Then: the task is left alone
        assertThat(state.task(task.taskId()).orElseThrow().desiredStatus()).isEqualTo(TaskStatus.RUNNING);

        // When: the reader has read to the end, and the agent is still silent
        state.readToEnd(clock.instant());
        plane.tasks().reconcile(reconciler);

        // Then
        assertThat(state.task(task.taskId()).orElseThrow().lastStatus()).isEqualTo(TaskStatus.STOPPED);
    }
}
