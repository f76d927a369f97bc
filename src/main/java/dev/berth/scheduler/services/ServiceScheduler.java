package dev.berth.scheduler.services;

import dev.berth.model.Arns;
import dev.berth.model.StopCode;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.ClusterSnapshot;
import dev.berth.scheduler.placement.FeasibilityCheck;
import dev.berth.scheduler.placement.PlacementInputException;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.Planner;
import dev.berth.scheduler.placement.RunningTask;
import dev.berth.scheduler.placement.ScaleIn;
import dev.berth.scheduler.placement.Strategy;
import dev.berth.scheduler.placement.PlacementResult;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.plan.PlanApplier;
import dev.berth.scheduler.plan.PlanOutcome;
import dev.berth.scheduler.plan.TaskPlan;
import dev.berth.scheduler.services.ServiceReconciler.Decision;
import dev.berth.scheduler.services.ServiceReconciler.Start;
import dev.berth.scheduler.services.ServiceReconciler.Stop;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Keeps every service at its desired state. One pass looks at each ACTIVE or DRAINING
 * service: {@link ServiceReconciler} decides what must change, placement picks instances for
 * the tasks to start, and the tasks started, the tasks stopped and the service's new record
 * (deployments, events, status) go to Kafka as one plan: one unit of a transaction, all or
 * nothing. A pass submits every service's plan, then waits for them together (they share a
 * transaction when they queue together); the next pass starts from the state that holds them.
 *
 * <p>Serialized with the service API's writes by {@code serviceLock}, so a service's record
 * has one writer at a time and its versions never fork.
 */
public final class ServiceScheduler {

    private static final Logger LOGGER = Logger.getLogger(ServiceScheduler.class);

    private final SchedulerState state;
    private final PlanApplier applier;
    private final Planner planner;
    private final ScaleIn scaleIn;
    private final Arns arns;
    private final Lock serviceLock;
    private final ServiceReconciler reconciler = new ServiceReconciler();

    public ServiceScheduler(SchedulerState state, PlanApplier applier, RandomGenerator random, Arns arns,
            Lock serviceLock) {
        this.state = state;
        this.applier = applier;
        this.planner = new Planner(random);
        this.scaleIn = new ScaleIn(random);
        this.arns = arns;
        this.serviceLock = serviceLock;
    }

    /** One pass over every service; returns how many services' plans were committed. */
    public int reconcile() {
        serviceLock.lock();
        try {
            List<Submitted> submitted = new ArrayList<>();
            for (ServiceRecord service : state.servicesToReconcile()) {
                try {
                    pass(service).ifPresent(submitted::add);
                } catch (RuntimeException e) {
                    LOGGER.warnf("Service %s: its pass failed, the next one retries: %s", service.key(), e.getMessage());
                }
            }
            int committed = 0;
            for (Submitted s : submitted) {
                try {
                    applier.await(s.submission());
                    committed++;
                } catch (RuntimeException e) {
                    LOGGER.warnf("Service %s: its plan was not written, the next pass retries: %s", s.serviceKey(),
                            e.getMessage());
                }
            }
            return committed;
        } finally {
            serviceLock.unlock();
        }
    }

    private record Submitted(String serviceKey, PlanApplier.Submission submission) {
    }

    private Optional<Submitted> pass(ServiceRecord service) {
        Instant now = state.clock().instant();
        List<TaskView> tasks = state.groupTasks(service.cluster(), service.group()).stream()
                .filter(t -> service.owns(t.desired())).toList();
        Optional<TaskDefinition> primaryDefinition = definition(service.deployments().get(0).taskDefinition());
        if (primaryDefinition.isEmpty()) {
            LOGGER.warnf("Service %s: its task definition %s is gone; nothing to do", service.key(),
                    service.deployments().get(0).taskDefinition());
            return Optional.empty();
        }
        PlacementRequest request = request(service, primaryDefinition.get(), 1);
        List<Candidate> instances = applier.candidates(service.cluster());
        List<Candidate> daemonHosts = service.isDaemon()
                ? instances.stream().filter(c -> takesDaemon(request, c)).toList() : List.of();
        Decision decision = reconciler.decide(service, tasks, daemonHosts, now,
                (healthy, count) -> scaleIn(service, request, instances, healthy, count), draining(service),
                state.isUpToDate());
        List<Rejection> unplaced = new ArrayList<>();
        boolean anyUnplaced = false;
        List<DesiredTask> planned = new ArrayList<>();
        Map<String, Candidate> byId = new HashMap<>();
        instances.forEach(c -> byId.put(c.instanceId(), c));
        Map<String, PlacementRequest> daemonRequests = new HashMap<>();
        for (Start start : decision.starts()) {
            Optional<TaskDefinition> definition = definition(start.taskDefinition());
            if (definition.isEmpty()) {
                LOGGER.warnf("Service %s: task definition %s is gone; no task started", service.key(),
                        start.taskDefinition());
                continue;
            }
            PlacementResult placed = start.instanceId() == null
                    ? planner.place(ClusterSnapshot.of(instances), request(service, definition.get(), start.count()))
                    : placeOn(daemonRequests.computeIfAbsent(start.taskDefinition(),
                            td -> request(service, definition.get(), 1)), byId.get(start.instanceId()));
            for (String instanceId : placed.placements()) {
                planned.add(newTask(service, start.deploymentId(), definition.get(), instanceId, now));
            }
            if (!placed.isComplete()) {
                anyUnplaced = true;
                unplaced.addAll(placed.rejections().stream().filter(Rejection::isReported).toList());
            }
        }
        List<StateChange> taskChanges = new ArrayList<>();
        List<String> stoppedRunning = new ArrayList<>();
        for (Stop stop : decision.stops()) {
            DesiredTask desired = stop.task().desired();
            taskChanges.add(new StateChange.Put(desired.stop(desired.version() + 1,
                    StopCode.ServiceSchedulerInitiated.name(), stop.reason())));
            if (stop.task().isRunning()) {
                stoppedRunning.add(stop.task().taskId());
            }
        }
        for (TaskView task : decision.settled()) {
            DesiredTask desired = task.desired();
            taskChanges.add(new StateChange.Put(desired.stop(desired.version() + 1, task.stopCode(),
                    task.stoppedReason())));
        }
        boolean finishedDraining = !ServiceRecord.ACTIVE.equals(service.status()) && decision.starts().isEmpty()
                && tasks.stream().allMatch(TaskView::isStopped);
        boolean placementFailed = anyUnplaced;
        if (planned.isEmpty() && taskChanges.isEmpty() && !finishedDraining && !placementFailed
                && !decision.breaker().tripped() && decision.deployments().equals(service.deployments())
                && !wantsSteadyEvent(service, decision)) {
            return Optional.empty();
        }
        if (!planned.isEmpty() || !decision.stops().isEmpty()) {
            LOGGER.infof("Service %s: starting %d task(s), stopping %d", service.key(), planned.size(),
                    decision.stops().size());
        }
        PlanApplier.Submission submission = applier.submit(new TaskPlan(service.cluster(), planned, true), outcome -> {
            List<StateChange> changes = new ArrayList<>(taskChanges);
            ServiceRecord next = next(service, decision, outcome, stoppedRunning, unplaced, placementFailed,
                    finishedDraining, now);
            if (next != null) {
                changes.add(new StateChange.Put(next));
            }
            return changes;
        }, null);
        return Optional.of(new Submitted(service.key(), submission));
    }

    /**
     * The cluster's DRAINING instances and, for a daemon, those of them where tasks of REPLICA
     * services still run (a daemon's task stays until they are gone).
     */
    private ServiceReconciler.Draining draining(ServiceRecord service) {
        Set<String> draining = new HashSet<>();
        Set<String> busy = new HashSet<>();
        for (String instanceId : state.drainingInstances()) {
            if (state.instance(instanceId).filter(i -> service.cluster().equals(i.cluster())).isEmpty()) {
                continue;
            }
            draining.add(instanceId);
            if (service.isDaemon() && state.tasksOnInstance(instanceId).stream()
                    .anyMatch(t -> !t.isStopped() && servesReplica(t))) {
                busy.add(instanceId);
            }
        }
        return new ServiceReconciler.Draining(draining, busy);
    }

    private boolean servesReplica(TaskView task) {
        String group = task.desired().group();
        if (group == null || !group.startsWith(ServiceRecord.GROUP_PREFIX)) {
            return false;
        }
        return state.service(task.cluster(), group.substring(ServiceRecord.GROUP_PREFIX.length()))
                .filter(s -> !s.isDaemon() && s.owns(task.desired())).isPresent();
    }

    /**
     * How many tasks a DAEMON service wants: one on each instance of its cluster that takes
     * its tasks (its constraints and required attributes hold, the instance is not DRAINING),
     * as its passes count them. ECS shows this as the daemon's desiredCount.
     */
    public int daemonHostCount(ServiceRecord service) {
        Optional<TaskDefinition> definition = definition(service.deployments().get(0).taskDefinition());
        if (definition.isEmpty()) {
            return 0;
        }
        PlacementRequest request = request(service, definition.get(), 1);
        return (int) state.candidates(service.cluster()).stream().filter(c -> takesDaemon(request, c)).count();
    }

    /** A daemon task on the instance named: it fits there, or the rejection says why. */
    private static PlacementResult placeOn(PlacementRequest request, Candidate candidate) {
        Rejection rejection = candidate == null ? null : Planner.check(request, candidate);
        if (candidate == null || rejection != null) {
            return new PlacementResult(List.of(), 1, rejection == null ? List.of() : List.of(rejection));
        }
        return new PlacementResult(List.of(candidate.instanceId()), 0, List.of());
    }

    /**
     * What placing the service's tasks asks: the task definition's constraints and the
     * service's, its strategies or ECS's service default, and its task group (which spread
     * counts and distinctInstance keeps apart). A daemon task goes on named instances, so it
     * has no strategy.
     */
    private static PlacementRequest request(ServiceRecord service, TaskDefinition definition, int count) {
        PlacementOptions options = new PlacementOptions(service.placementConstraints(), service.placementStrategy());
        try {
            return new PlacementRequest(service.cluster(), TaskDemand.demand(definition, null), count,
                    service.group(), options.constraints(definition.placementConstraints()),
                    service.isDaemon() ? List.of() : options.strategies(Strategy.SERVICE_DEFAULT));
        } catch (PlacementInputException e) {
            throw new IllegalStateException("service " + service.key() + " holds placement it should have refused: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether the instance takes the service's daemon task: it meets the constraints and the
     * required attributes (whether the task fits its free resources is placement's question).
     */
    private static boolean takesDaemon(PlacementRequest request, Candidate candidate) {
        Rejection rejection = Planner.check(request, candidate);
        return rejection == null || rejection.checks().stream().noneMatch(c -> c == FeasibilityCheck.CLUSTER
                || c == FeasibilityCheck.ATTRIBUTE || c == FeasibilityCheck.MEMBER_OF);
    }

    private List<TaskView> scaleIn(ServiceRecord service, PlacementRequest request, List<Candidate> instances,
            List<TaskView> healthy, int count) {
        List<RunningTask> running = healthy.stream()
                .map(t -> new RunningTask(t.taskId(), t.instanceId(), TaskDemand.demand(t.desired().taskDefinition(),
                        t.desired().overrides()))).toList();
        List<String> chosen = scaleIn.choose(ClusterSnapshot.of(instances), running, count, request.strategies());
        return healthy.stream().filter(t -> chosen.contains(t.taskId())).toList();
    }

    /** The service's next record, or null when nothing in it changes. */
    private ServiceRecord next(ServiceRecord service, Decision decision, PlanOutcome outcome,
            List<String> stoppedRunning, List<Rejection> unplaced, boolean placementFailed, boolean finishedDraining,
            Instant now) {
        ServiceEvents events = new ServiceEvents(service, now);
        events.stopped(stoppedRunning);
        events.started(outcome.published().stream().map(DesiredTask::taskId).toList());
        List<Rejection> refused = new ArrayList<>(unplaced);
        refused.addAll(outcome.refused());
        if (placementFailed || !outcome.refused().isEmpty()) {
            events.unableToPlace(refused);
        }
        ServiceRecord.Deployment primary = decision.deployments().isEmpty() ? null : decision.deployments().get(0);
        if (primary != null && ServiceRecord.Deployment.COMPLETED.equals(primary.rolloutState())
                && !ServiceRecord.Deployment.COMPLETED.equals(service.deployments().get(0).rolloutState())) {
            events.deploymentCompleted(primary.id());
        }
        if (decision.backingOff()) {
            events.unableToStartConsistently();
        }
        if (decision.steady()) {
            events.steady();
        }
        List<ServiceRecord.Deployment> deployments = decision.deployments();
        String taskDefinition = deployments.get(0).taskDefinition();
        if (decision.breaker().tripped()) {
            events.deploymentFailed(decision.breaker().failedDeployment());
            if (decision.breaker().rollbackTo() != null) {
                events.rollingBack(decision.breaker().rollbackTo());
            }
        }
        String status = finishedDraining ? ServiceRecord.INACTIVE : service.status();
        if (!events.changed() && status.equals(service.status()) && deployments.equals(service.deployments())) {
            return null;
        }
        return service.with(service.version() + 1, status, service.desiredCount(), taskDefinition,
                service.deploymentConfiguration(), deployments, events.events());
    }

    private static boolean wantsSteadyEvent(ServiceRecord service, Decision decision) {
        return decision.steady() && (service.events().isEmpty()
                || !service.events().get(0).message().endsWith("has reached a steady state."));
    }

    private Optional<TaskDefinition> definition(String familyRevision) {
        int colon = familyRevision.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return state.taskDefinition(familyRevision.substring(0, colon),
                    Integer.parseInt(familyRevision.substring(colon + 1))).map(TaskDefinitionRecord::taskDefinition);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A task the service starts, with the tags it propagates and ECS's managed tags when asked. */
    private DesiredTask newTask(ServiceRecord service, String deploymentId, TaskDefinition definition,
            String instanceId, Instant now) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        List<Tag> definitionTags = ServiceTaskTags.TASK_DEFINITION.equals(service.propagateTags())
                ? state.taskDefinition(definition.family(), definition.revision()).map(TaskDefinitionRecord::tags)
                        .orElse(List.of())
                : List.of();
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId, arns.task(service.cluster(), taskId),
                service.cluster(), instanceId, definition, null, TaskStatus.RUNNING, deploymentId, service.group(),
                now, null, null, ServiceTaskTags.forTask(service, definitionTags), null, service.launchType());
    }
}
