package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.StopCode;
import dev.berth.model.Tag;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.PlacementResult;
import dev.berth.scheduler.placement.PlacementStack;
import dev.berth.scheduler.placement.Planner;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.plan.PlanApplier;
import dev.berth.scheduler.plan.PlanOutcome;
import dev.berth.scheduler.plan.TaskPlan;
import dev.berth.scheduler.reconcile.TaskAction;
import dev.berth.scheduler.reconcile.TaskReconciler;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Tasks: RunTask (placement picks the instances), StartTask (the caller picks them),
 * StopTask, and the task views. Placement and publishing happen under the write lock, so
 * two calls never place on the same free capacity; RunTask calls that queue for the lock are
 * placed together ({@link PlacementBatches}), and each waits for its transaction outside it.
 */
public final class Tasks {

    /** ECS's StopTask {@code reason}: up to 255 characters. */
    static final int MAX_STOP_REASON = 255;
    /** ECS's RunTask and StartTask {@code startedBy}. */
    private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9_/-]+");
    /** ECS's longest {@code startedBy}: RunTask's, and StartTask's (which ECS keeps at 36). */
    private static final int RUN_TASK_STARTED_BY = 128;
    private static final int START_TASK_STARTED_BY = 36;
    /** What ListTasks takes as a family: a name, no revision. */
    private static final Pattern FAMILY_FILTER = Pattern.compile("[a-zA-Z0-9_-]+");

    private static final Logger LOGGER = Logger.getLogger(Tasks.class);

    /** ECS's limit on tasks per RunTask / StartTask call. */
    public static final int MAX_TASKS_PER_CALL = 10;
    public static final String DEFAULT_STOP_REASON = "Task stopped by user";
    /**
     * The most changes one reconciliation round writes, as one transaction: bounds the
     * transaction; the next round (a few seconds later) takes the rest.
     */
    static final int MAX_CHANGES_PER_ROUND = 1_000;
    static final String NO_INSTANCES = "No Container Instances were found in your cluster.";

    private final SchedulerState state;
    private final Lock writeLock;
    /**
     * The service scheduler's: StopTask and the task round change task records that a service's
     * pass may change too, so they take it (before {@code writeLock}): a pass holds it until its
     * plans are committed, so each version they write follows the pass's.
     */
    private final Lock serviceLock;
    private final Arns arns;
    private final Clusters clusters;
    private final TaskDefinitions taskDefinitions;
    private final PlanApplier applier;
    private final StateWriter writer;
    private final SchedulerObserver observer;
    private final ClientTokens tokens;
    private final PlacementBatches batches;

    Tasks(SchedulerState state, StateWriter writer, Lock writeLock, Lock serviceLock, Arns arns, Clusters clusters,
            TaskDefinitions taskDefinitions, PlacementStack placement, SchedulerObserver observer) {
        this.observer = observer;
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.serviceLock = serviceLock;
        this.arns = arns;
        this.clusters = clusters;
        this.taskDefinitions = taskDefinitions;
        this.applier = new PlanApplier(state, writer);
        this.tokens = new ClientTokens(state);
        this.batches = new PlacementBatches(writeLock, applier, placement);
    }

    /** The plan applier every placement goes through, services' included. */
    PlanApplier applier() {
        return applier;
    }

    /** What RunTask and StartTask share; StartTask ignores {@code placement}. */
    /** @param launchType EXTERNAL, or null for ECS's default EC2 (an EC2 asked for is stored as null) */
    public record TaskRequest(String cluster, String taskDefinition, TaskOverride overrides, String startedBy,
            String group, PlacementOptions placement, List<Tag> tags, String launchType) {

        public TaskRequest {
            launchType = DesiredTask.DEFAULT_LAUNCH_TYPE.equals(launchType) ? null : launchType;
        }

        public TaskRequest(String cluster, String taskDefinition, TaskOverride overrides, String startedBy,
                String group, PlacementOptions placement, List<Tag> tags) {
            this(cluster, taskDefinition, overrides, startedBy, group, placement, tags, null);
        }

        public TaskRequest(String cluster, String taskDefinition, TaskOverride overrides, String startedBy,
                String group) {
            this(cluster, taskDefinition, overrides, startedBy, group, PlacementOptions.NONE);
        }

        public TaskRequest(String cluster, String taskDefinition, TaskOverride overrides, String startedBy,
                String group, PlacementOptions placement) {
            this(cluster, taskDefinition, overrides, startedBy, group, placement, null);
        }
    }

    /** What a RunTask client token stands for: the whole request but the token. */
    private record RunRequest(TaskRequest request, int count) {
    }

    /** The tasks started and, for what could not be started, ECS failures. */
    public record StartOutcome(List<TaskView> tasks, List<Failure> failures) {
    }

    /** A ListTasks filter; null fields do not filter. */
    public record TaskFilter(String containerInstance, String family, String startedBy, String desiredStatus,
            String launchType) {

        public TaskFilter(String containerInstance, String family, String startedBy, String desiredStatus) {
            this(containerInstance, family, startedBy, desiredStatus, null);
        }
    }

    public StartOutcome run(TaskRequest request, Integer count) {
        return run(request, count, null);
    }

    /**
     * RunTask. With a {@code clientToken}, a retry of the same request within a day answers
     * the same tasks and starts none; the token is written in the plan's transaction.
     */
    public StartOutcome run(TaskRequest request, Integer count, String clientToken) {
        int copies = count == null ? 1 : count;
        if (copies < 1 || copies > MAX_TASKS_PER_CALL) {
            throw EcsException.invalidParameter("Invalid 'count': it must be between 1 and " + MAX_TASKS_PER_CALL + ".");
        }
        ClientTokens.validate(clientToken);
        ClusterRecord cluster = clusters.require(request.cluster());
        String tokenKey = clientToken == null ? null : ClientTokens.key("RunTask", cluster.clusterName(), clientToken);
        String requestHash = clientToken == null ? null : tokens.hash(new RunRequest(request, copies));
        Supplier<StartOutcome> answer = batches.place(view -> {
            if (tokenKey != null) {
                Optional<ClientTokenRecord> previous = tokens.previous(tokenKey, requestHash);
                if (previous.isPresent()) {
                    return () -> remembered(previous.get());
                }
                if (applier.pending().isInFlight(tokenKey)) {
                    throw new SchedulerUnavailableException("A RunTask with this clientToken is being written; "
                            + "nothing more was started. Retry shortly to get its answer.");
                }
            }
            TaskDefinition definition = prepare(request, RUN_TASK_STARTED_BY);
            PlacementResult placed = view.place(TaskPlacement.request(cluster.clusterName(), definition, request,
                    copies));
            List<DesiredTask> planned = new ArrayList<>();
            for (String instanceId : placed.placements()) {
                planned.add(newTask(cluster, instanceId, definition, request));
            }
            List<Failure> failures = new ArrayList<>(failures(cluster, placed.rejections(),
                    placed.isComplete() ? null : placed.explanation()));
            Publication publication = submit(cluster, planned, failures, tokenKey, tokenKey == null ? null
                    : outcome -> tokens.record(tokenKey, "RunTask", requestHash,
                            outcome.tasks().stream().map(TaskView::taskId).toList(), outcome.failures()));
            if (publication.prepared().outcome().published().size() != planned.size()) {
                view.forget();
            }
            return () -> answer(publication);
        });
        return answer.get();
    }

    /** The answer of the call that first used the token, with its tasks as they are now. */
    private StartOutcome remembered(ClientTokenRecord token) {
        List<TaskView> tasks = new ArrayList<>();
        for (String taskId : token.resourceIds()) {
            state.task(taskId).ifPresent(tasks::add);
        }
        List<Failure> failures = new ArrayList<>();
        for (ClientTokenRecord.Failed f : token.failures()) {
            failures.add(Failure.of(f.arn(), f.reason()));
        }
        return new StartOutcome(tasks, failures);
    }

    public StartOutcome start(TaskRequest request, List<String> containerInstances) {
        if (containerInstances == null || containerInstances.isEmpty()
                || containerInstances.size() > MAX_TASKS_PER_CALL) {
            throw EcsException.invalidParameter("Invalid 'containerInstances': name between 1 and "
                    + MAX_TASKS_PER_CALL + " container instances.");
        }
        ClusterRecord cluster = clusters.require(request.cluster());
        TaskDefinition definition = prepare(request, START_TASK_STARTED_BY);
        PlacementRequest check = PlacementRequest.binpackMemory(cluster.clusterName(),
                TaskDemand.demand(definition, request.overrides()), 1);
        Publication publication;
        writeLock.lock();
        try {
            List<DesiredTask> planned = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String reference : new LinkedHashSet<>(containerInstances)) {
                String instanceId = Arns.lastSegment(reference);
                String arn = arns.containerInstance(cluster.clusterName(), instanceId);
                Optional<Candidate> instance = applier.candidate(instanceId)
                        .filter(i -> cluster.clusterName().equals(i.cluster()));
                if (instance.isEmpty()) {
                    failures.add(Failure.of(arn, absence(cluster.clusterName(), instanceId)));
                    continue;
                }
                Rejection rejection = Planner.check(check, instance.get());
                if (rejection != null) {
                    observer.refused(rejection.reason());
                    failures.add(Failure.of(arn, rejection.reason()));
                } else {
                    planned.add(newTask(cluster, instanceId, definition, request));
                }
            }
            publication = submit(cluster, planned, failures, null, null);
        } finally {
            writeLock.unlock();
        }
        return answer(publication);
    }

    /**
     * Why StartTask cannot use an instance the cluster does not hold: INACTIVE when it was the
     * cluster's and was deregistered (its DEREGISTERED control record stays), as ECS answers;
     * MISSING when the cluster never had it.
     */
    private String absence(String cluster, String instanceId) {
        boolean deregistered = state.instanceControl(instanceId)
                .filter(c -> InstanceControl.DEREGISTERED.equals(c.status()) && cluster.equals(c.cluster()))
                .isPresent();
        return deregistered ? Failure.INACTIVE : Failure.MISSING;
    }

    /** Sets the task's desired status to STOPPED; a task already asked to stop is returned as it is. */
    public TaskView stop(String clusterRef, String taskRef, String reason) {
        ClusterRecord cluster = clusters.require(clusterRef);
        if (taskRef == null || taskRef.isBlank()) {
            throw EcsException.invalidParameter("Invalid 'task': it should not be null or empty.");
        }
        if (reason != null && reason.length() > MAX_STOP_REASON) {
            throw EcsException.invalidParameter("Invalid 'reason': up to " + MAX_STOP_REASON
                    + " characters are allowed, as in ECS; it has " + reason.length() + ".");
        }
        serviceLock.lock();
        writeLock.lock();
        try {
            TaskView task = find(cluster.clusterName(), taskRef)
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced task was not found."));
            if (task.desiredStatus() == TaskStatus.STOPPED) {
                return task;
            }
            DesiredTask desired = task.desired();
            String why = reason == null || reason.isBlank() ? DEFAULT_STOP_REASON : reason;
            writer.write(desired.stop(desired.version() + 1, StopCode.UserInitiated.name(), why));
            return state.task(desired.taskId()).orElseThrow();
        } finally {
            writeLock.unlock();
            serviceLock.unlock();
        }
    }

    /**
     * One round of task reconciliation: desired status follows tasks that stopped on their
     * own, and tasks past the retention are tombstoned. Each action is re-checked against the
     * latest state under the write lock.
     *
     * @return how many actions were carried out
     */
    public int reconcile(TaskReconciler reconciler) {
        serviceLock.lock();
        writeLock.lock();
        try {
            List<StateChange> changes = new ArrayList<>();
            state.roundAt(state.clock().instant());
            Map<String, String> lost = new HashMap<>();
            for (String instanceId : state.lostInstances()) {
                lost.put(instanceId, "Container instance " + instanceId + " was lost: its agent sent no heartbeat for "
                        + state.instanceLostAfter().toSeconds() + " s");
            }
            for (TaskAction action : reconciler.plan(state.tasksToReconcile(), lost, state.clock().instant(),
                    state::stoppedSeenAt)) {
                DesiredTask latest = action.task();
                if (changes.size() >= MAX_CHANGES_PER_ROUND) {
                    break;
                }
                if (action instanceof TaskAction.MarkLost lostTask) {
                    LOGGER.infof("Task %s is stopped: %s", latest.taskId(), lostTask.stoppedReason());
                    changes.add(new StateChange.Put(latest.lost(latest.version() + 1, TaskView.LOST,
                            lostTask.stoppedReason(), state.clock().instant())));
                } else if (action instanceof TaskAction.MarkStopped stopped) {
                    if (isSettledByItsService(latest)) {
                        continue;
                    }
                    LOGGER.infof("Task %s stopped on instance %s (%s): desired status is now STOPPED", latest.taskId(),
                            latest.instanceId(), stopped.stopCode());
                    changes.add(new StateChange.Put(latest.stop(latest.version() + 1, stopped.stopCode(),
                            stopped.stoppedReason())));
                } else {
                    LOGGER.debugf("Task %s is past its retention: tombstoned", latest.taskId());
                    changes.add(new StateChange.Forget(latest));
                }
            }
            for (String taskId : state.orphanReports(Math.max(0, MAX_CHANGES_PER_ROUND - changes.size()))) {
                LOGGER.infof("Task %s: a report of it came after it was forgotten; tombstoned", taskId);
                changes.add(new StateChange.ForgetReport(taskId));
            }
            changes.addAll(tokens.expired(state.clock().instant()));
            if (!changes.isEmpty()) {
                writer.commit(changes);
            }
            return changes.size();
        } finally {
            writeLock.unlock();
            serviceLock.unlock();
        }
    }

    /**
     * Whether the task belongs to a service that the service scheduler still looks at: then a
     * task that stopped on its own while desired RUNNING is left to it, which counts the
     * failure (failedTasks, the back-off, the circuit breaker) in the plan that settles it.
     * Settled here first, between two passes, the failure would never be counted.
     */
    private boolean isSettledByItsService(DesiredTask task) {
        String group = task.group();
        if (group == null || !group.startsWith(ServiceRecord.GROUP_PREFIX)) {
            return false;
        }
        return state.service(task.cluster(), group.substring(ServiceRecord.GROUP_PREFIX.length()))
                .filter(s -> !ServiceRecord.INACTIVE.equals(s.status()) && s.owns(task)).isPresent();
    }

    /** The task with this id or ARN in the cluster, if it is still visible. */
    public Optional<TaskView> find(String clusterName, String taskRef) {
        return state.task(Arns.lastSegment(taskRef)).filter(t -> t.cluster().equals(clusterName));
    }

    public List<TaskView> list(String clusterName, TaskFilter filter) {
        String desired = filter.desiredStatus() == null ? TaskStatus.RUNNING.name() : filter.desiredStatus();
        if (!Set.of("RUNNING", "PENDING", "STOPPED").contains(desired)) {
            throw EcsException.invalidParameter("Invalid 'desiredStatus': must be RUNNING, PENDING or STOPPED.");
        }
        if ("PENDING".equals(desired)) {
            // ECS accepts the value but never sets a desired status of PENDING, so nothing matches.
            return List.of();
        }
        if (filter.family() != null && !FAMILY_FILTER.matcher(filter.family()).matches()) {
            // A family:revision would match nothing; ECS refuses it rather than answer an empty list.
            throw EcsException.invalidParameter("family must match ^[a-zA-Z0-9\\-_]+$");
        }
        TaskStatus wanted = "STOPPED".equals(desired) ? TaskStatus.STOPPED : TaskStatus.RUNNING;
        String instanceId = filter.containerInstance() == null ? null : Arns.lastSegment(filter.containerInstance());
        List<TaskView> result = new ArrayList<>();
        for (TaskView task : state.tasks(clusterName)) {
            if (task.desiredStatus() == wanted
                    && (instanceId == null || instanceId.equals(task.instanceId()))
                    && (filter.family() == null || filter.family().equals(task.desired().taskDefinition().family()))
                    && (filter.startedBy() == null || filter.startedBy().equals(task.desired().startedBy()))
                    && (filter.launchType() == null
                            || filter.launchType().equals(task.desired().launchTypeOrDefault()))) {
                result.add(task);
            }
        }
        return result;
    }

    private TaskDefinition prepare(TaskRequest request, int maxStartedBy) {
        TaskDefinition definition = taskDefinitions.requireActive(request.taskDefinition());
        TaskDefinitionValidator.validateOverrides(definition, request.overrides());
        if (request.startedBy() != null && (request.startedBy().length() > maxStartedBy
                || !STARTED_BY.matcher(request.startedBy()).matches())) {
            throw EcsException.invalidParameter("Invalid 'startedBy': up to " + maxStartedBy + " letters (uppercase "
                    + "and lowercase), numbers, hyphens, forward slashes and underscores are allowed.");
        }
        if (request.overrides() != null) {
            Set<String> names = new HashSet<>();
            for (ContainerDefinition c : definition.containers()) {
                names.add(c.name());
            }
            for (ContainerOverride o : request.overrides().containerOverridesOrEmpty()) {
                if (!names.contains(o.name())) {
                    throw EcsException.invalidParameter("Override for container named " + o.name()
                            + " is not a container in the TaskDefinition.");
                }
            }
        }
        return definition;
    }

    /** A plan re-checked and counted in flight, and the failures to answer with it. */
    private record Publication(PlanApplier.Prepared prepared, List<Failure> failures) {
    }

    /**
     * Prepares the plan, with the record {@code alongside} makes of the answer (a client
     * token's), if any, as one unit of a transaction. Called under the write lock; the caller
     * then sends it and waits for it with {@link #answer} outside the lock, so the next call is
     * placed while this one is encoded and written (its tasks count as in flight meanwhile).
     */
    private Publication submit(ClusterRecord cluster, List<DesiredTask> planned, List<Failure> failures,
            String tokenKey, Function<StartOutcome, BerthRecord> alongside) {
        List<Failure> answered = new ArrayList<>(failures);
        PlanApplier.Prepared prepared = applier.prepare(new TaskPlan(cluster.clusterName(), planned),
                applied -> {
                    answered.addAll(failures(cluster, applied.refused()));
                    if (alongside == null) {
                        return List.of();
                    }
                    List<TaskView> views = applied.published().stream().map(t -> TaskView.fold(t, null)).toList();
                    return List.of(new StateChange.Put(alongside.apply(new StartOutcome(views, answered))));
                }, tokenKey);
        return new Publication(prepared, answered);
    }

    /**
     * Sends the plan, waits for its transaction and answers with its tasks as the state now
     * holds them. A request of berth.requests instead takes the plan into its answer's
     * transaction, and is answered with the plan's tasks as the state will hold them (each
     * record as Kafka will hold it; no agent can report a task before it is committed).
     */
    private StartOutcome answer(Publication publication) {
        PlanApplier.Prepared prepared = publication.prepared();
        int placed = prepared.outcome().published().size();
        if (!prepared.changes().isEmpty() && RequestScope.defer(applier, prepared, () -> observer.placed(placed))) {
            return new StartOutcome(DeferredPlans.tasksAsStored(prepared.outcome().published()),
                    publication.failures());
        }
        PlanApplier.Submission submission = applier.send(publication.prepared());
        PlanOutcome outcome = submission.outcome();
        observer.timePlan(() -> {
            applier.await(submission);
            return null;
        });
        observer.placed(outcome.published().size());
        List<TaskView> tasks = new ArrayList<>();
        for (DesiredTask task : outcome.published()) {
            state.task(task.taskId()).ifPresent(tasks::add);
        }
        return new StartOutcome(tasks, publication.failures());
    }

    private List<Failure> failures(ClusterRecord cluster, List<Rejection> rejections) {
        return failures(cluster, rejections, null);
    }

    /**
     * One ECS failure per instance that refused, with its first reason; {@code detail}, when
     * given, says what every instance lacked, counted by reason ("5 instances: 3
     * RESOURCE:MEMORY, 2 AGENT").
     */
    private List<Failure> failures(ClusterRecord cluster, List<Rejection> rejections, String detail) {
        List<Failure> failures = new ArrayList<>();
        for (Rejection rejection : rejections) {
            if (rejection.isReported()) {
                observer.refused(rejection.reason());
                failures.add(new Failure(arns.containerInstance(cluster.clusterName(), rejection.instanceId()),
                        rejection.reason(), detail));
            }
        }
        return failures;
    }

    private DesiredTask newTask(ClusterRecord cluster, String instanceId, TaskDefinition definition,
            TaskRequest request) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        Instant now = state.clock().instant();
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                arns.task(cluster.clusterName(), taskId), cluster.clusterName(), instanceId, definition,
                request.overrides(), TaskStatus.RUNNING, request.startedBy(),
                TaskPlacement.group(definition, request),
                now, null, null, request.tags(), null, request.launchType());
    }
}
