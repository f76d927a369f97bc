package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;

/**
 * The control plane's decisions about container instances, as records of
 * berth.instance-control. DeregisterContainerInstance: the instance leaves its cluster for
 * good. Its tasks stop with it ({@code force}), or a task still running refuses the call, as
 * in ECS. One transaction holds the control record that makes the scheduler ignore the
 * instance from then on, the tombstone of its registration, and its tasks stopped in its
 * agent's stead. UpdateContainerInstancesState sets DRAINING or ACTIVE. And the leader records
 * when it counts an agent disconnected or connected again ({@link #recordAgentConnections}).
 */
public final class ContainerInstances {

    private static final Logger LOGGER = Logger.getLogger(ContainerInstances.class);

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    /** Taken before {@code writeLock} where a service's pass may change the same task records. */
    private final Lock serviceLock;
    private final Clusters clusters;
    private final Arns arns;
    /**
     * The most agent connections one round records, as one transaction (a network split may
     * silence every agent at once): bounds the transaction; the next round takes the rest.
     */
    static final int MAX_CONNECTIONS_PER_ROUND = 1_000;
    /** ECS's limit on instances per UpdateContainerInstancesState call. */
    static final int MAX_PER_UPDATE = 10;

    ContainerInstances(SchedulerState state, StateWriter writer, Lock writeLock, Lock serviceLock, Clusters clusters,
            Arns arns) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.serviceLock = serviceLock;
        this.clusters = clusters;
        this.arns = arns;
    }

    /** @return the instance as it was when it left, for the answer (its status is then INACTIVE) */
    public InstanceView deregister(String clusterRef, String instanceRef, boolean force) {
        ClusterRecord cluster = clusters.require(clusterRef);
        if (instanceRef == null || instanceRef.isBlank()) {
            throw EcsException.invalidParameter("Invalid 'containerInstance': it should not be null or empty.");
        }
        String instanceId = Arns.lastSegment(instanceRef.trim());
        serviceLock.lock();
        writeLock.lock();
        try {
            // Tasks still being written onto the instance must count: wait for them first.
            writer.drain();
            InstanceView instance = state.instance(instanceId)
                    .filter(i -> cluster.clusterName().equals(i.cluster()))
                    .orElseThrow(() -> EcsException.invalidParameter("The referenced container instance "
                            + arns.containerInstance(cluster.clusterName(), instanceId) + " was not found."));
            List<TaskView> unstopped = state.tasksOnInstance(instanceId).stream().filter(t -> !t.isStopped()).toList();
            if (!unstopped.isEmpty() && !force) {
                throw EcsException.invalidParameter("Found running tasks on the instance: " + unstopped.size()
                        + " task(s) not yet STOPPED. Stop them first, or deregister with force.");
            }
            List<StateChange> changes = new ArrayList<>();
            changes.add(new StateChange.Put(nextControl(instanceId, cluster.clusterName(), InstanceControl.DEREGISTERED)));
            changes.add(new StateChange.ForgetInstance(instanceId));
            for (TaskView task : unstopped) {
                changes.add(new StateChange.Put(task.desired().lost(task.desired().version() + 1, TaskView.LOST,
                        "Container instance " + instanceId + " was deregistered", state.clock().instant())));
            }
            writer.commit(changes);
            LOGGER.infof("Container instance %s left cluster %s (force=%s, %d task(s) stopped with it)", instanceId,
                    cluster.clusterName(), force, unstopped.size());
            return instance;
        } finally {
            writeLock.unlock();
            serviceLock.unlock();
        }
    }

    /** What UpdateContainerInstancesState answers: the instances changed and the ones not found. */
    public record StateUpdate(List<InstanceView> instances, List<Failure> failures) {
    }

    /**
     * UpdateContainerInstancesState: DRAINING stops new tasks from being placed on the
     * instances, and services move their tasks away within their deployment bounds; ACTIVE
     * makes them take tasks again. Standalone tasks are left alone, as in ECS.
     */
    public StateUpdate updateState(String clusterRef, List<String> instanceRefs, String status) {
        ClusterRecord cluster = clusters.require(clusterRef);
        if (!InstanceControl.DRAINING.equals(status) && !InstanceControl.ACTIVE.equals(status)) {
            throw EcsException.invalidParameter("Invalid 'status': must be ACTIVE or DRAINING.");
        }
        if (instanceRefs == null || instanceRefs.isEmpty() || instanceRefs.size() > MAX_PER_UPDATE) {
            throw EcsException.invalidParameter("Invalid 'containerInstances': name between 1 and " + MAX_PER_UPDATE
                    + " container instances.");
        }
        writeLock.lock();
        try {
            List<StateChange> changes = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            java.util.Set<String> named = new java.util.LinkedHashSet<>();
            for (String reference : instanceRefs) {
                // One instance named by its id and by its ARN is one instance: one record, one answer.
                named.add(Arns.lastSegment(reference.trim()));
            }
            for (String instanceId : named) {
                if (state.instance(instanceId).filter(i -> cluster.clusterName().equals(i.cluster())).isEmpty()) {
                    failures.add(Failure.of(arns.containerInstance(cluster.clusterName(), instanceId), Failure.MISSING));
                    continue;
                }
                changed.add(instanceId);
                if (!status.equals(state.instanceStatus(instanceId))) {
                    changes.add(new StateChange.Put(nextControl(instanceId, cluster.clusterName(), status)));
                }
            }
            if (!changes.isEmpty()) {
                writer.commit(changes);
                LOGGER.infof("Container instance(s) %s of cluster %s are now %s", changed, cluster.clusterName(), status);
            }
            List<InstanceView> views = new ArrayList<>();
            changed.forEach(id -> state.instance(id).ifPresent(views::add));
            return new StateUpdate(views, failures);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Records, for every instance whose agent this leader hears otherwise than its control
     * record says, the agent disconnected (silent past the heartbeat timeout) or connected again,
     * in one transaction of the leader's fenced writer. Only a record can make an event: the
     * agent cannot report its own silence, and a clock is not read again on a failover, so the
     * decision is taken once, here, and read by everyone after. Run by the leader's reconcile
     * loop; the decision is re-checked under the write lock.
     *
     * @return how many instances changed
     */
    public int recordAgentConnections() {
        writeLock.lock();
        try {
            List<StateChange> changes = new ArrayList<>();
            state.agentConnectionsToRecord().forEach((instanceId, connected) -> state.instance(instanceId)
                    .filter(instance -> changes.size() < MAX_CONNECTIONS_PER_ROUND)
                    .ifPresent(instance -> {
                        InstanceControl held = state.instanceControl(instanceId)
                                .orElseGet(() -> InstanceControl.none(instanceId, instance.cluster()));
                        Instant now = state.clock().instant();
                        changes.add(new StateChange.Put(held.withAgentDisconnectedAt(connected ? null : now, now)));
                        LOGGER.infof("Container instance %s: its agent is %s", instanceId, connected
                                ? "connected again" : "disconnected (no heartbeat for "
                                        + state.heartbeatTimeout().toSeconds() + " s)");
                    }));
            if (!changes.isEmpty()) {
                writer.commit(changes);
            }
            return changes.size();
        } finally {
            writeLock.unlock();
        }
    }

    /** The instance's next control record with this status, what else it holds carried on. */
    private InstanceControl nextControl(String instanceId, String cluster, String status) {
        InstanceControl held = state.instanceControl(instanceId).orElseGet(() -> InstanceControl.none(instanceId,
                cluster));
        return held.next(status, state.clock().instant(), held.attributes(), held.tags());
    }
}
