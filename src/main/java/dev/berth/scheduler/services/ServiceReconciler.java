package dev.berth.scheduler.services;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.ServiceRecord.Deployment;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.state.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a service needs now, as ECS's service scheduler decides it: a pure function of the
 * service, its tasks and (for DAEMON) the cluster's instances. It says how many tasks of
 * which deployment to start and where (DAEMON) or leaves the where to placement (REPLICA),
 * which tasks to stop and why, which stopped tasks to settle, and the deployments as they
 * stand after this pass. Level-triggered: it compares the whole desired state with the
 * whole observed state each time, so a lost event costs one pass, never correctness.
 *
 * <p>A REPLICA service rolls within its deployment bounds: at most {@code maximumPercent} of
 * the desired count of tasks exist at once (running, pending or stopping), and at least
 * {@code minimumHealthyPercent} stay healthy while old tasks stop. A DAEMON service keeps
 * one task of its PRIMARY deployment on every instance; an old task on an instance stops
 * before the new one starts there, while {@code minimumHealthyPercent} of the instances keep a
 * healthy task (ECS's 0 / 100 % for daemons by default: all may go at once).
 *
 * <p>A task under scale-in protection (UpdateTaskProtection) is never chosen to stop when the
 * service scales in or when a deployment retires it: the service stays above its desired
 * count, or the deployment IN_PROGRESS, until the protection ends. Draining its instance and
 * deleting the service still stop it.
 */
public final class ServiceReconciler {

    /** Start {@code count} tasks of a deployment; {@code instanceId} null lets placement choose. */
    public record Start(String deploymentId, String taskDefinition, String instanceId, int count) {
    }

    /** Stop a task of the service, desired STOPPED with stopCode ServiceSchedulerInitiated. */
    public record Stop(TaskView task, String reason) {
    }

    /**
     * One pass's decision.
     *
     * @param settled     tasks that stopped on their own while desired RUNNING: their desired
     *                    status follows, in this pass's plan
     * @param deployments the deployments after this pass (finished ones dropped)
     * @param steady      nothing to do and every desired task healthy on the one deployment
     * @param backingOff  tasks are wanted, but the primary deployment's tasks keep failing: no
     *                    start until its back-off has passed
     * @param breaker     whether the deployment circuit breaker tripped in this pass, and to
     *                    which task definition the service rolls back (null for none)
     */
    public record Decision(List<Start> starts, List<Stop> stops, List<TaskView> settled,
            List<Deployment> deployments, boolean steady, boolean backingOff, Breaker breaker) {

        public boolean changesTasks() {
            return !starts.isEmpty() || !stops.isEmpty() || !settled.isEmpty();
        }
    }

    /**
     * The deployment circuit breaker's verdict on this pass: {@code tripped} when the primary
     * deployment's failed tasks reached the threshold now; {@code rollbackTo} the id of the
     * last deployment that completed, made PRIMARY again (its tasks keep running), when the
     * service rolls back; null when it does not.
     */
    public record Breaker(boolean tripped, String failedDeployment, String rollbackTo) {
        static final Breaker CLOSED = new Breaker(false, null, null);
    }

    static final String BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start.";
    private static final int BREAKER_MINIMUM = 3;
    private static final int BREAKER_MAXIMUM = 200;

    /** The first wait after a failed task; each failure in a row doubles it, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    static final String SCALED_IN = "Task stopped by the service scheduler: the service scaled in";
    static final String REPLACED = "Task stopped by the service scheduler: replaced by a newer deployment";
    static final String DELETED = "Task stopped by the service scheduler: the service was deleted";
    static final String DRAINED = "Task stopped by the service scheduler: its container instance is draining";
    /** ECS's reason for a service's task stopped because its container health check failed. */
    static final String UNHEALTHY = "Task failed container health checks";
    static final String NOT_ELIGIBLE = "Task stopped by the service scheduler: its container instance no longer "
            + "takes the service's daemon tasks";

    /** Which of a service's healthy tasks to stop when it scales in: placement's {@code ScaleIn}. */
    public interface ScaleInChoice {
        List<TaskView> choose(List<TaskView> healthy, int count);

        /** The newest first: for tests, and when no strategy applies. */
        ScaleInChoice NEWEST_FIRST = (healthy, count) -> healthy.stream()
                .sorted(ServiceTasks.LEAST_USEFUL_FIRST).limit(count).toList();
    }

    /**
     * The instances set DRAINING: a service's tasks on them are replaced elsewhere, within the
     * deployment bounds. A daemon task stays on one while {@code busy} says that other
     * services' tasks still run there (daemon tasks stop last, as in ECS).
     */
    public record Draining(Set<String> instances, Set<String> busy) {
        public static final Draining NONE = new Draining(Set.of(), Set.of());
    }

    public Decision decide(ServiceRecord service, List<TaskView> tasks, List<Candidate> instances, Instant now) {
        return decide(service, tasks, instances, now, ScaleInChoice.NEWEST_FIRST, Draining.NONE, true);
    }

    /**
     * @param instances the instances that take the service's daemon tasks (DAEMON only;
     *                  DRAINING ones are not among them)
     * @param scaleIn   which healthy tasks go when there are too many (those not healthy go first)
     * @param upToDate  whether the state is up to date ({@code SchedulerState.isUpToDate}): only then
     *                  is a task stopped for being unhealthy (a HEALTHY report may wait unread otherwise)
     */
    public Decision decide(ServiceRecord service, List<TaskView> tasks, List<Candidate> instances, Instant now,
            ScaleInChoice scaleIn, Draining draining, boolean upToDate) {
        List<TaskView> settled = new ArrayList<>();
        List<TaskView> unstopped = new ArrayList<>();
        for (TaskView task : tasks) {
            if (!task.isStopped()) {
                unstopped.add(task);
            } else if (task.desiredStatus() == TaskStatus.RUNNING) {
                settled.add(task);
            }
        }
        Deployment primary = backOff(service.deployments().get(0), settled, now);
        boolean backingOff = primary.noStartBefore() != null && now.isBefore(primary.noStartBefore());
        Pass pass = service.isDaemon() ? daemon(service, unstopped, instances, draining, now, upToDate)
                : replica(service, unstopped, scaleIn, draining, now, upToDate);
        if (backingOff && !pass.starts.isEmpty()) {
            pass.starts.clear();
        } else {
            backingOff = false;
        }
        if (pass.settledAtDesired && primary.failuresInARow() > 0) {
            // Every desired task runs healthy: the failures are no longer in a row.
            primary = withFailures(primary, 0, null);
        }
        List<Deployment> deployments = new ArrayList<>(deployments(service, primary, unstopped, pass, settled, now));
        Breaker breaker = circuitBreaker(service, deployments, instances.size(), now);
        if (breaker.tripped() || Deployment.FAILED.equals(deployments.get(0).rolloutState())) {
            // A failed rollout starts nothing more and keeps the older deployments' tasks; after
            // a roll back, the next pass works for the deployment rolled back to.
            pass.starts.clear();
            pass.stops.removeIf(stop -> REPLACED.equals(stop.reason()));
        }
        boolean steady = ServiceRecord.ACTIVE.equals(service.status()) && pass.starts.isEmpty()
                && pass.stops.isEmpty() && settled.isEmpty() && deployments.size() == 1 && pass.settledAtDesired;
        return new Decision(pass.starts, pass.stops, settled, List.copyOf(deployments), steady, backingOff,
                breaker);
    }

    /**
     * ECS's deployment circuit breaker, when the service enables it: once the PRIMARY
     * deployment, still IN_PROGRESS, has as many failed tasks as half the desired count
     * (at least 3, at most 200), it is FAILED; with {@code rollback}, the service goes back to
     * the task definition of the last deployment that completed, if one is still listed.
     */
    private static Breaker circuitBreaker(ServiceRecord service, List<Deployment> deployments, int daemonHosts,
            Instant now) {
        ServiceRecord.DeploymentConfiguration c = service.deploymentConfiguration();
        ServiceRecord.CircuitBreaker breaker = c == null ? null : c.deploymentCircuitBreaker();
        Deployment primary = deployments.get(0);
        if (breaker == null || !breaker.enable() || !Deployment.IN_PROGRESS.equals(primary.rolloutState())
                || !ServiceRecord.ACTIVE.equals(service.status())) {
            return Breaker.CLOSED;
        }
        int desired = service.isDaemon() ? daemonHosts : service.desiredCount();
        int threshold = Math.min(BREAKER_MAXIMUM, Math.max(BREAKER_MINIMUM, (int) Math.ceil(desired * 0.5)));
        if (primary.failedTasks() < threshold) {
            return Breaker.CLOSED;
        }
        deployments.set(0, new Deployment(primary.id(), primary.status(), primary.taskDefinition(),
                primary.failedTasks(), primary.createdAt(), now, Deployment.FAILED, BREAKER_REASON,
                primary.failuresInARow(), primary.noStartBefore()));
        String rollbackTo = null;
        if (breaker.rollback()) {
            for (int i = 1; i < deployments.size() && rollbackTo == null; i++) {
                Deployment d = deployments.get(i);
                if (Deployment.COMPLETED.equals(d.rolloutState())) {
                    rollbackTo = d.id();
                    deployments.remove(i);
                    rollBack(deployments, d, d.failedTasks(), now);
                }
            }
            Deployment completed = service.lastCompleted();
            if (rollbackTo == null && completed != null && !completed.id().equals(primary.id())) {
                // Its tasks are all gone (stopped while the failed rollout replaced them): it
                // becomes PRIMARY again with none, and the next passes start them.
                rollbackTo = completed.id();
                rollBack(deployments, completed, 0, now);
            }
        }
        return new Breaker(true, primary.id(), rollbackTo);
    }

    /** Makes {@code to} PRIMARY again, IN_PROGRESS, ahead of the failed one (demoted to ACTIVE). */
    private static void rollBack(List<Deployment> deployments, Deployment to, int failedTasks, Instant now) {
        deployments.set(0, Deployments.demoted(deployments.get(0), now));
        deployments.add(0, new Deployment(to.id(), Deployment.PRIMARY, to.taskDefinition(), failedTasks,
                to.createdAt(), now, Deployment.IN_PROGRESS, "ECS deployment circuit breaker: rolling back to "
                + "deployment " + to.id() + ".", 0, null));
    }

    /**
     * The primary deployment with its failures in a row brought up to date: each task of it
     * that failed adds one, and from the second in a row the next start waits (5 s, doubling,
     * up to 15 minutes): one crash is replaced at once, a crash loop is slowed down.
     */
    private static Deployment backOff(Deployment primary, List<TaskView> settled, Instant now) {
        int failed = (int) settled.stream().filter(t -> primary.id().equals(t.desired().startedBy()))
                .filter(ServiceTasks::isFailure).count();
        if (failed == 0) {
            return primary;
        }
        int inARow = primary.failuresInARow() + failed;
        Instant noStartBefore = null;
        if (inARow >= 2) {
            long doublings = Math.min(inARow - 2, 20);
            Duration wait = FIRST_BACKOFF.multipliedBy(1L << doublings);
            noStartBefore = now.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait);
        }
        return withFailures(primary, inARow, noStartBefore);
    }

    private static Deployment withFailures(Deployment d, int inARow, Instant noStartBefore) {
        return new Deployment(d.id(), d.status(), d.taskDefinition(), d.failedTasks(), d.createdAt(), d.updatedAt(),
                d.rolloutState(), d.rolloutStateReason(), inARow, noStartBefore);
    }

    /** Starts and stops of one pass, and whether the primary deployment is complete. */
    private static final class Pass {
        final List<Start> starts = new ArrayList<>();
        final List<Stop> stops = new ArrayList<>();
        /** Every desired task of the primary deployment healthy, and nothing else left. */
        boolean settledAtDesired;
    }

    /** Whether the task stops as unhealthy: reported so past its grace period, on a state up to date. */
    private static boolean stopsUnhealthy(ServiceRecord service, TaskView task, Instant now, boolean upToDate) {
        return upToDate && ServiceTasks.isUnhealthy(task) && !service.inHealthCheckGracePeriod(task.startedAt(), now);
    }

    private Pass replica(ServiceRecord service, List<TaskView> unstopped, ScaleInChoice scaleIn,
            Draining draining, Instant now, boolean upToDate) {
        Pass pass = new Pass();
        Deployment primary = service.deployments().get(0);
        boolean deleting = !ServiceRecord.ACTIVE.equals(service.status());
        int desired = deleting ? 0 : service.desiredCount();
        DeploymentBounds bounds = DeploymentBounds.of(service, desired);
        List<TaskView> wanted = new ArrayList<>();
        List<TaskView> current = new ArrayList<>();
        List<TaskView> old = new ArrayList<>();
        int stopping = 0;
        for (TaskView task : unstopped) {
            if (task.desiredStatus() != TaskStatus.RUNNING) {
                stopping++;
            } else if (primary.id().equals(task.desired().startedBy())
                    && !draining.instances().contains(task.instanceId())) {
                current.add(task);
            } else {
                old.add(task);
            }
        }
        if (!deleting) {
            // Replaced whatever the bounds: an unhealthy task counts as healthy for none of them.
            for (java.util.Iterator<TaskView> it = current.iterator(); it.hasNext(); ) {
                TaskView task = it.next();
                if (stopsUnhealthy(service, task, now, upToDate)) {
                    pass.stops.add(new Stop(task, UNHEALTHY));
                    it.remove();
                }
            }
        }
        int healthy = (int) current.stream().filter(ServiceTasks::isHealthy).count()
                + (int) old.stream().filter(ServiceTasks::isHealthy).count();
        // Scale in the primary deployment past the desired count: tasks not healthy first, then
        // as the service's strategies choose.
        ServiceTasks.sortLeastUsefulFirst(current);
        int extra = Math.max(0, current.size() - desired);
        List<TaskView> extras = new ArrayList<>();
        List<TaskView> healthyCurrent = new ArrayList<>();
        for (TaskView task : current) {
            if (task.desired().isProtectedAt(now) && !deleting) {
                continue;
            }
            if (!ServiceTasks.isHealthy(task) && extras.size() < extra) {
                extras.add(task);
            } else if (ServiceTasks.isHealthy(task)) {
                healthyCurrent.add(task);
            }
        }
        if (extras.size() < extra) {
            extras.addAll(scaleIn.choose(healthyCurrent, extra - extras.size()));
        }
        for (TaskView task : extras) {
            pass.stops.add(new Stop(task, deleting ? DELETED : SCALED_IN));
            healthy -= ServiceTasks.isHealthy(task) ? 1 : 0;
        }
        Set<TaskView> stopped = Collections.newSetFromMap(new IdentityHashMap<>());
        stopped.addAll(extras);
        current.stream().filter(t -> !stopped.contains(t)).forEach(wanted::add);
        // Old deployments: tasks that are not healthy go at once, healthy ones within the bound.
        ServiceTasks.sortLeastUsefulFirst(old);
        for (TaskView task : old) {
            boolean retired = !deleting && !draining.instances().contains(task.instanceId());
            if (retired && task.desired().isProtectedAt(now)) {
                continue;
            }
            boolean isHealthy = ServiceTasks.isHealthy(task);
            if (!isHealthy || deleting || healthy - 1 >= bounds.minimumHealthy()) {
                pass.stops.add(new Stop(task, deleting ? DELETED
                        : draining.instances().contains(task.instanceId()) ? DRAINED : REPLACED));
                healthy -= isHealthy ? 1 : 0;
            }
        }
        int alive = unstopped.size();
        int room = bounds.maximum() - alive;
        int start = Math.min(desired - wanted.size(), room);
        if (start > 0) {
            pass.starts.add(new Start(primary.id(), primary.taskDefinition(), null, start));
        }
        long wantedHealthy = wanted.stream().filter(ServiceTasks::isHealthy).count();
        pass.settledAtDesired = wanted.size() == desired && wantedHealthy == desired && old.isEmpty()
                && stopping == 0 && extra == 0;
        return pass;
    }

    private Pass daemon(ServiceRecord service, List<TaskView> unstopped, List<Candidate> instances,
            Draining draining, Instant now, boolean upToDate) {
        Pass pass = new Pass();
        Deployment primary = service.deployments().get(0);
        boolean deleting = !ServiceRecord.ACTIVE.equals(service.status());
        Map<String, List<TaskView>> byInstance = new LinkedHashMap<>();
        for (TaskView task : unstopped) {
            byInstance.computeIfAbsent(task.instanceId(), id -> new ArrayList<>()).add(task);
        }
        Set<String> eligible = new HashSet<>();
        for (Candidate instance : instances) {
            eligible.add(instance.instanceId());
        }
        // Old healthy tasks stop only while minimumHealthyPercent of the instances keep a healthy
        // task (0 % by default: each instance's old task stops before its new one starts).
        int minimumHealthy = deleting ? 0 : DeploymentBounds.of(service, instances.size()).minimumHealthy();
        int healthy = 0;
        for (TaskView task : unstopped) {
            if (task.desiredStatus() == TaskStatus.RUNNING && eligible.contains(task.instanceId())
                    && ServiceTasks.isHealthy(task)) {
                healthy++;
            }
        }
        boolean complete = true;
        List<Candidate> sorted = new ArrayList<>(instances);
        sorted.sort(Comparator.comparing(Candidate::instanceId));
        for (Candidate instance : sorted) {
            List<TaskView> here = byInstance.getOrDefault(instance.instanceId(), List.of());
            boolean keeps = false;
            boolean occupied = false;
            for (TaskView task : here) {
                occupied = true;
                boolean current = primary.id().equals(task.desired().startedBy());
                if (task.desiredStatus() != TaskStatus.RUNNING) {
                    continue;
                }
                boolean isHealthy = ServiceTasks.isHealthy(task);
                if (!deleting && (!current || keeps) && task.desired().isProtectedAt(now)) {
                    complete = false;
                } else if (!deleting && !current && isHealthy && healthy - 1 < minimumHealthy) {
                    complete = false;
                } else if (deleting || !current || keeps) {
                    pass.stops.add(new Stop(task, deleting ? DELETED : current ? SCALED_IN : REPLACED));
                    healthy -= isHealthy ? 1 : 0;
                } else if (stopsUnhealthy(service, task, now, upToDate)) {
                    // Its instance gets a new one once it has stopped.
                    pass.stops.add(new Stop(task, UNHEALTHY));
                    complete = false;
                } else {
                    keeps = true;
                    complete &= ServiceTasks.isHealthy(task) && here.size() == 1;
                }
            }
            if (!deleting && !occupied && instance.agentConnected()) {
                pass.starts.add(new Start(primary.id(), primary.taskDefinition(), instance.instanceId(), 1));
            }
            complete &= deleting || keeps;
        }
        for (Map.Entry<String, List<TaskView>> entry : byInstance.entrySet()) {
            if (draining.busy().contains(entry.getKey()) && !deleting) {
                complete = false;
            } else if (!eligible.contains(entry.getKey())) {
                for (TaskView task : entry.getValue()) {
                    if (task.desiredStatus() == TaskStatus.RUNNING) {
                        pass.stops.add(new Stop(task, deleting ? DELETED
                                : draining.instances().contains(entry.getKey()) ? DRAINED : NOT_ELIGIBLE));
                    }
                }
                complete = false;
            }
        }
        pass.settledAtDesired = complete && !deleting;
        return pass;
    }

    /**
     * The deployments after this pass: failures counted on the deployment that started them,
     * the primary COMPLETED once it alone runs every desired task healthy, and older
     * deployments dropped once none of their tasks is left.
     */
    private List<Deployment> deployments(ServiceRecord service, Deployment backedOff, List<TaskView> unstopped,
            Pass pass, List<TaskView> settled, Instant now) {
        Map<String, Integer> failed = new HashMap<>();
        for (TaskView task : settled) {
            if (ServiceTasks.isFailure(task)) {
                failed.merge(task.desired().startedBy(), 1, Integer::sum);
            }
        }
        // A task stopped for failing its health checks failed too (ECS's circuit breaker counts it).
        Map<String, Integer> unhealthy = new HashMap<>();
        for (Stop stop : pass.stops) {
            if (UNHEALTHY.equals(stop.reason())) {
                unhealthy.merge(stop.task().desired().startedBy(), 1, Integer::sum);
            }
        }
        unhealthy.forEach((deployment, n) -> failed.merge(deployment, n, Integer::sum));
        Set<String> withTasks = new HashSet<>();
        for (TaskView task : unstopped) {
            withTasks.add(task.desired().startedBy());
        }
        List<Deployment> result = new ArrayList<>();
        for (int i = 0; i < service.deployments().size(); i++) {
            Deployment d = i == 0 ? backedOff : service.deployments().get(i);
            int failures = d.failedTasks() + failed.getOrDefault(d.id(), 0);
            boolean isPrimary = i == 0;
            Instant newestHealthyStart = d.newestHealthyStart();
            if (isPrimary) {
                newestHealthyStart = newestHealthyStart(d, unstopped);
                if (newestHealthyStart != null && !newestHealthyStart.equals(d.newestHealthyStart())
                        && resetsOnHealthyTask(service)) {
                    // One of its tasks became healthy since the last look: the failures before
                    // it are no longer in a row (ECS's resetOnHealthyTask).
                    failures = failuresAfter(d.id(), settled, newestHealthyStart) + unhealthy.getOrDefault(d.id(), 0);
                }
            }
            if (!isPrimary && !withTasks.contains(d.id())) {
                continue;
            }
            String rollout = d.rolloutState();
            String reason = d.rolloutStateReason();
            Instant updated = d.updatedAt();
            if (isPrimary && Deployment.IN_PROGRESS.equals(rollout) && pass.settledAtDesired
                    && ServiceRecord.ACTIVE.equals(service.status())) {
                rollout = Deployment.COMPLETED;
                reason = "ECS deployment " + d.id() + " completed.";
                updated = now;
            }
            if (failures != d.failedTasks()) {
                updated = now;
            }
            result.add(new Deployment(d.id(), d.status(), d.taskDefinition(), failures, d.createdAt(), updated,
                    rollout, reason, d.failuresInARow(), d.noStartBefore(), newestHealthyStart));
        }
        return result;
    }

    /** The latest start among the deployment's healthy tasks, or among those seen before: never earlier. */
    private static Instant newestHealthyStart(Deployment d, List<TaskView> unstopped) {
        Instant newest = d.newestHealthyStart();
        for (TaskView task : unstopped) {
            if (d.id().equals(task.desired().startedBy()) && task.desiredStatus() == TaskStatus.RUNNING
                    && task.startedAt() != null && ServiceTasks.isHealthy(task)
                    && (newest == null || task.startedAt().isAfter(newest))) {
                newest = task.startedAt();
            }
        }
        return newest;
    }

    /** The deployment's tasks settled in this pass as failed that stopped after {@code since}. */
    private static int failuresAfter(String deploymentId, List<TaskView> settled, Instant since) {
        int count = 0;
        for (TaskView task : settled) {
            if (deploymentId.equals(task.desired().startedBy()) && ServiceTasks.isFailure(task)
                    && (task.stoppedAt() == null || task.stoppedAt().isAfter(since))) {
                count++;
            }
        }
        return count;
    }

    private static boolean resetsOnHealthyTask(ServiceRecord service) {
        ServiceRecord.DeploymentConfiguration c = service.deploymentConfiguration();
        return c == null || c.deploymentCircuitBreaker() == null
                || c.deploymentCircuitBreaker().resetsOnHealthyTask();
    }
}
