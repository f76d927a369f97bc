package dev.berth.scheduler.state;

import dev.berth.model.Resources;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.Versions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's picture of the world, rebuilt from Kafka: clusters, task definitions,
 * desired tasks, the agents' task reports and the container instances. Each entity keeps
 * only its newest version; an older or equal version is a repeat and is dropped. Records
 * arrive from the topic reader and, for the scheduler's own writes, straight after Kafka
 * acknowledged them (read-your-writes); both paths go through {@link #apply}.
 *
 * <p>Thread-safe: every method holds the monitor, and queries return immutable snapshots.
 */
public final class SchedulerState {

    /** The cluster every account has in ECS without creating it. */
    public static final String DEFAULT_CLUSTER = "default";

    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration stoppedTaskRetention;

    private final Map<String, ClusterRecord> clusters = new HashMap<>();
    private final Map<String, TaskDefinitionRecord> taskDefinitions = new HashMap<>();
    private final Map<String, DesiredTask> desiredTasks = new HashMap<>();
    private final Map<String, TaskStateChange> taskReports = new HashMap<>();
    private final Map<String, InstanceRegistration> instances = new HashMap<>();
    private final Map<String, ClientTokenRecord> clientTokens = new HashMap<>();
    /**
     * Tasks this scheduler forgot whose tombstone its reader has not reached yet: the version
     * forgotten. The reader may still replay their older records; those must not bring them back.
     */
    private final Map<String, Long> forgotten = new HashMap<>();
    private LeaderRecord leader;

    public SchedulerState(Clock clock, Duration heartbeatTimeout, Duration stoppedTaskRetention) {
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.stoppedTaskRetention = stoppedTaskRetention;
    }

    public Clock clock() {
        return clock;
    }

    /** Applies a record if it is newer than what is held; true when it changed the state. */
    public synchronized boolean apply(BerthRecord value) {
        if (value instanceof ClusterRecord c) {
            return putIfNewer(clusters, c.clusterName(), c);
        } else if (value instanceof TaskDefinitionRecord d) {
            return putIfNewer(taskDefinitions, d.taskDefinition().familyRevision(), d);
        } else if (value instanceof DesiredTask t) {
            return !forgotten.containsKey(t.taskId()) && putIfNewer(desiredTasks, t.taskId(), t);
        } else if (value instanceof TaskStateChange e) {
            return !forgotten.containsKey(e.taskId()) && putIfNewer(taskReports, e.taskId(), e);
        } else if (value instanceof InstanceRegistration i) {
            return putIfNewer(instances, i.instanceId(), i);
        } else if (value instanceof ClientTokenRecord c) {
            return putIfNewer(clientTokens, c.key(), c);
        } else if (value instanceof LeaderRecord l) {
            if (leader != null && !Versions.isNewer(l.version(), leader.version())) {
                return false;
            }
            leader = l;
            return true;
        }
        return false;
    }

    /**
     * This scheduler tombstoned the task (its desired record and its reports, in one
     * transaction): it is gone, and stays gone while the reader replays what came before the
     * tombstones.
     */
    public synchronized void forget(DesiredTask task) {
        desiredTasks.remove(task.taskId());
        taskReports.remove(task.taskId());
        forgotten.put(task.taskId(), task.version());
    }

    /** A tombstone on one of the scheduler's topics: the entity is gone. */
    public synchronized void remove(Topic topic, String key) {
        switch (topic) {
            case CLUSTERS -> clusters.remove(key);
            case TASK_DEFINITIONS -> taskDefinitions.remove(key);
            case TASKS -> {
                desiredTasks.remove(key);
                forgotten.remove(key);
            }
            case TASK_EVENTS -> taskReports.remove(key);
            case INSTANCES -> instances.remove(key);
            case CLIENT_TOKENS -> clientTokens.remove(key);
            case SCHEDULER_LEADER -> leader = null;
            default -> {
            }
        }
    }

    private static <T extends BerthRecord> boolean putIfNewer(Map<String, T> map, String key, T value) {
        T held = map.get(key);
        if (!Versions.isNewer(value.version(), held == null ? null : held.version())) {
            return false;
        }
        map.put(key, value);
        return true;
    }

    // Leadership and client tokens

    /** The last leader that announced itself on berth.scheduler-leader. */
    public synchronized Optional<LeaderRecord> leader() {
        return Optional.ofNullable(leader);
    }

    public synchronized Optional<ClientTokenRecord> clientToken(String key) {
        return Optional.ofNullable(clientTokens.get(key));
    }

    /** Every client token held, for the reconciler to tombstone those past the window. */
    public synchronized List<ClientTokenRecord> clientTokens() {
        return List.copyOf(clientTokens.values());
    }

    // Clusters

    public synchronized Optional<ClusterRecord> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public synchronized List<ClusterRecord> clusters() {
        List<ClusterRecord> all = new ArrayList<>(clusters.values());
        all.sort(Comparator.comparing(ClusterRecord::clusterName));
        return all;
    }

    // Task definitions

    public synchronized Optional<TaskDefinitionRecord> taskDefinition(String family, int revision) {
        return Optional.ofNullable(taskDefinitions.get(family + ":" + revision));
    }

    /** The highest revision ever registered in the family, 0 when none. */
    public synchronized int lastRevision(String family) {
        int last = 0;
        for (TaskDefinitionRecord r : taskDefinitions.values()) {
            if (r.taskDefinition().family().equals(family)) {
                last = Math.max(last, r.taskDefinition().revision());
            }
        }
        return last;
    }

    public synchronized Optional<TaskDefinitionRecord> latestActive(String family) {
        return taskDefinitions.values().stream()
                .filter(r -> r.taskDefinition().family().equals(family))
                .filter(r -> TaskDefinition.ACTIVE.equals(r.taskDefinition().status()))
                .max(Comparator.comparing(r -> r.taskDefinition().revision()));
    }

    /** Every task definition, by family then revision. */
    public synchronized List<TaskDefinition> taskDefinitions() {
        List<TaskDefinition> all = new ArrayList<>();
        for (TaskDefinitionRecord r : taskDefinitions.values()) {
            all.add(r.taskDefinition());
        }
        all.sort(Comparator.comparing(TaskDefinition::family).thenComparing(TaskDefinition::revision));
        return all;
    }

    // Tasks

    public synchronized Optional<TaskView> task(String taskId) {
        DesiredTask desired = desiredTasks.get(taskId);
        if (desired == null) {
            return Optional.empty();
        }
        TaskView view = TaskView.fold(desired, taskReports.get(taskId));
        return isExpired(view) ? Optional.empty() : Optional.of(view);
    }

    /** Every task held, in every cluster, including STOPPED ones past the retention. */
    public synchronized List<TaskView> allTasks() {
        List<TaskView> result = new ArrayList<>();
        for (DesiredTask desired : desiredTasks.values()) {
            result.add(TaskView.fold(desired, taskReports.get(desired.taskId())));
        }
        return result;
    }

    /** The tasks of a cluster that are still visible (STOPPED ones only within the retention). */
    public synchronized List<TaskView> tasks(String cluster) {
        List<TaskView> result = new ArrayList<>();
        for (DesiredTask desired : desiredTasks.values()) {
            if (desired.cluster().equals(cluster)) {
                TaskView view = TaskView.fold(desired, taskReports.get(desired.taskId()));
                if (!isExpired(view)) {
                    result.add(view);
                }
            }
        }
        result.sort(Comparator.comparing((TaskView v) -> v.desired().createdAt()).thenComparing(TaskView::taskId));
        return result;
    }

    /** How many visible tasks there are in each lastStatus, over every cluster (absent statuses count zero). */
    public synchronized Map<TaskStatus, Integer> countByLastStatus() {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        for (DesiredTask desired : desiredTasks.values()) {
            TaskView view = TaskView.fold(desired, taskReports.get(desired.taskId()));
            if (!isExpired(view)) {
                counts.merge(view.lastStatus(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private boolean isExpired(TaskView view) {
        if (!view.isStopped()) {
            return false;
        }
        Instant stoppedAt = view.stoppedAt() != null ? view.stoppedAt() : view.observed().reportedAt();
        return stoppedAt != null && stoppedAt.plus(stoppedTaskRetention).isBefore(clock.instant());
    }

    // Container instances

    public synchronized Optional<InstanceView> instance(String instanceId) {
        InstanceRegistration registration = instances.get(instanceId);
        return registration == null ? Optional.empty() : Optional.of(view(registration));
    }

    public synchronized List<InstanceView> instances(String cluster) {
        List<InstanceView> result = new ArrayList<>();
        for (InstanceRegistration registration : instances.values()) {
            if (cluster.equals(registration.cluster())) {
                result.add(view(registration));
            }
        }
        result.sort(Comparator.comparing(InstanceView::instanceId));
        return result;
    }

    private InstanceView view(InstanceRegistration registration) {
        Resources remaining = registration.registeredResources() == null
                ? Resources.NONE : registration.registeredResources();
        int running = 0;
        int pending = 0;
        for (DesiredTask desired : desiredTasks.values()) {
            if (!registration.instanceId().equals(desired.instanceId())) {
                continue;
            }
            TaskView task = TaskView.fold(desired, taskReports.get(desired.taskId()));
            if (task.isStopped()) {
                continue;
            }
            remaining = remaining.allocate(task.demand());
            if (task.isRunning()) {
                running++;
            } else if (task.isPending()) {
                pending++;
            }
        }
        return new InstanceView(registration, isConnected(registration), remaining, running, pending);
    }

    private boolean isConnected(InstanceRegistration registration) {
        if (registration.shuttingDown() || registration.heartbeatAt() == null) {
            return false;
        }
        return !registration.heartbeatAt().plus(heartbeatTimeout).isBefore(clock.instant());
    }
}
