package dev.berth.scheduler.plan;

import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.FeasibilityCheck;
import dev.berth.scheduler.placement.Demand;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.Planner;
import dev.berth.scheduler.placement.Rejection;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Publishes a plan, Nomad style: each planned task is checked again against the latest
 * state of its instance (an agent may have gone quiet, a heartbeat may have shrunk its
 * capacity since placement), the tasks of the plan and of the plans still in flight
 * accounting for each other. What still fits is submitted as one unit, together with
 * whatever the caller adds for the outcome (a client token's record): all of it is
 * published, or none.
 */
public final class PlanApplier {

    private static final Logger LOGGER = Logger.getLogger(PlanApplier.class);

    private final SchedulerState state;
    private final StateWriter writer;
    private final PendingPlacements pending;

    public PlanApplier(SchedulerState state, StateWriter writer) {
        this(state, writer, new PendingPlacements());
    }

    public PlanApplier(SchedulerState state, StateWriter writer, PendingPlacements pending) {
        this.state = state;
        this.writer = writer;
        this.pending = pending;
    }

    /** A plan handed to the writer: what it publishes, and its transaction's outcome to come. */
    public record Submission(PlanOutcome outcome, CompletableFuture<Void> committed, long reservation,
            String tokenKey) {
    }

    /**
     * A plan re-checked and counted in flight, not yet handed to the writer: {@link #send}
     * hands it over.
     */
    public record Prepared(PlanOutcome outcome, List<StateChange> changes, long reservation, String tokenKey) {
    }

    public PlanOutcome apply(TaskPlan plan) {
        return apply(plan, outcome -> List.of());
    }

    /** Re-checks, submits and waits for the commit. */
    public PlanOutcome apply(TaskPlan plan, Function<PlanOutcome, List<StateChange>> alongside) {
        Submission submission = submit(plan, alongside, null);
        await(submission);
        return submission.outcome();
    }

    /**
     * Re-checks the plan (counting the plans still in flight), counts what it publishes as in
     * flight, and submits it without waiting: the caller may let the next plan be placed
     * meanwhile, and then {@link #await}s this one.
     *
     * @param alongside what to write in the same transaction, given what will be published
     * @param tokenKey  the client token the plan answers for, counted in flight too; or null
     */
    public Submission submit(TaskPlan plan, Function<PlanOutcome, List<StateChange>> alongside, String tokenKey) {
        return send(prepare(plan, alongside, tokenKey));
    }

    /**
     * Re-checks the plan against the latest state less the plans in flight, and counts what
     * it will publish as in flight, so that the next placement leaves that room alone.
     *
     * <p>Serialized, as Nomad's plan applier is: a plan is re-checked and counted in flight
     * before the next is re-checked, so two plans placed at once (a RunTask and a service's
     * pass) never both take the last room on a host.
     */
    public synchronized Prepared prepare(TaskPlan plan, Function<PlanOutcome, List<StateChange>> alongside,
            String tokenKey) {
        PlanOutcome outcome = recheck(plan);
        List<StateChange> changes = new ArrayList<>();
        for (DesiredTask task : outcome.published()) {
            changes.add(new StateChange.Put(task));
        }
        changes.addAll(alongside.apply(outcome));
        long reservation = changes.isEmpty() ? 0 : pending.reserve(outcome.published(), tokenKey);
        return new Prepared(outcome, changes, reservation, tokenKey);
    }

    /**
     * Hands a prepared plan to the writer, on the caller's thread (which encodes its records),
     * outside any lock: plans prepared one after the other may be sent in any order, since
     * each was re-checked counting the others.
     */
    public Submission send(Prepared prepared) {
        if (prepared.changes().isEmpty()) {
            return new Submission(prepared.outcome(), CompletableFuture.completedFuture(null), 0, null);
        }
        long reservation = prepared.reservation();
        try {
            // Runs on the thread that completes the commit, right after the state took the plan.
            CompletableFuture<Void> committed = writer.submit(prepared.changes())
                    .whenComplete((done, error) -> pending.release(reservation));
            return new Submission(prepared.outcome(), committed, reservation, prepared.tokenKey());
        } catch (RuntimeException e) {
            pending.release(reservation);
            throw e;
        }
    }

    /** Waits for a submitted plan's transaction, then stops counting it as in flight (the state holds it now). */
    public void await(Submission submission) {
        try {
            StateWriter.await(submission.committed());
        } finally {
            pending.release(submission.reservation());
        }
    }

    /**
     * The cluster's instances as placement must see them: what the state holds, less what
     * plans in flight take (the in-flight tasks that the state does not hold yet). Both are
     * read as one cut: a committed plan is applied to the state and stops counting in flight
     * under {@link SchedulerState#publishing}, so it is counted exactly once, never twice
     * (refusing a task for room that is there) nor by neither (overbooking a host).
     */
    public List<Candidate> candidates(String cluster) {
        return state.readingPlacementView(() -> {
            Map<String, PendingPlacements.InFlight> inFlight = pending.snapshot(state::holdsTask);
            List<Candidate> held = state.candidates(cluster);
            List<Candidate> result = new ArrayList<>(held.size());
            for (Candidate candidate : held) {
                result.add(lessInFlight(candidate, inFlight));
            }
            return result;
        });
    }

    /** One instance as placement must see it, in the same order as {@link #candidates}. */
    public Optional<Candidate> candidate(String instanceId) {
        return state.readingPlacementView(() -> {
            Map<String, PendingPlacements.InFlight> inFlight = pending.snapshot(state::holdsTask, List.of(instanceId));
            return state.candidate(instanceId).map(c -> lessInFlight(c, inFlight));
        });
    }

    /** The candidate less what plans in flight take of it, with their tasks in its task groups. */
    private static Candidate lessInFlight(Candidate candidate, Map<String, PendingPlacements.InFlight> inFlight) {
        PendingPlacements.InFlight reserved = inFlight.get(candidate.instanceId());
        if (reserved == null) {
            return candidate;
        }
        Candidate less = candidate.take(reserved.demand());
        if (!reserved.udpPorts().isEmpty()) {
            Set<Integer> udp = new HashSet<>(less.udpPortsTaken());
            udp.addAll(reserved.udpPorts());
            less = less.withUdpPortsTaken(udp);
        }
        if (reserved.groups().isEmpty()) {
            return less;
        }
        Map<String, Integer> groups = new HashMap<>(less.taskGroups());
        reserved.groups().forEach((group, n) -> groups.merge(group, n, Integer::sum));
        return less.withTasks(less.runningTasksCount(), groups);
    }

    public PendingPlacements pending() {
        return pending;
    }

    /** The plan's instances as placement must see them, by id; an instance gone is left out. */
    private Map<String, Candidate> instancesOf(TaskPlan plan) {
        List<String> instanceIds = plan.tasks().stream().map(DesiredTask::instanceId).distinct().toList();
        return state.readingPlacementView(() -> {
            Map<String, PendingPlacements.InFlight> inFlight = pending.snapshot(state::holdsTask, instanceIds);
            Map<String, Candidate> read = new HashMap<>();
            for (String id : instanceIds) {
                if (plan.drainingRefused() && InstanceControl.DRAINING.equals(state.instanceStatus(id))) {
                    continue;
                }
                state.candidate(id).ifPresent(c -> read.put(id, lessInFlight(c, inFlight)));
            }
            return read;
        });
    }

    private PlanOutcome recheck(TaskPlan plan) {
        List<DesiredTask> accepted = new ArrayList<>();
        List<Rejection> refused = new ArrayList<>();
        Map<String, Candidate> candidates = instancesOf(plan);
        for (DesiredTask task : plan.tasks()) {
            Candidate candidate = candidates.get(task.instanceId());
            Demand demand = TaskDemand.demand(task.taskDefinition(), task.overrides());
            Rejection rejection = candidate == null
                    ? new Rejection(task.instanceId(), FeasibilityCheck.AGENT)
                    : Planner.check(PlacementRequest.binpackMemory(plan.cluster(), demand, 1), candidate);
            if (rejection != null) {
                LOGGER.infof("Task %s no longer fits instance %s (%s); not published", task.taskId(),
                        task.instanceId(), rejection.reason());
                refused.add(rejection);
                continue;
            }
            Set<Integer> udp = new HashSet<>(candidate.udpPortsTaken());
            udp.addAll(demand.udpPorts());
            candidates.put(task.instanceId(), candidate.take(demand.resources()).withUdpPortsTaken(udp));
            accepted.add(task);
        }
        return new PlanOutcome(accepted, refused);
    }
}
