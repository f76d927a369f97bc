package dev.berth.scheduler.state;

import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.Versions;
import dev.berth.scheduler.placement.Candidate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The scheduler's picture of the world, rebuilt from Kafka: clusters, task definitions,
 * desired tasks, the agents' task reports, the container instances, the leader and the
 * client tokens. Each entity keeps only its newest version; an older or equal version is a
 * repeat and is dropped. Records arrive from the topic reader and, for the scheduler's own
 * writes, straight after Kafka committed them (read-your-writes); both go through {@link #apply}.
 *
 * <p>Everything a query needs is indexed as records are applied, so no query walks every
 * task: tasks by cluster, instance and group ({@link TaskIndex}), what the unstopped tasks of
 * each instance take ({@link Allocations}), task definitions by family, instances by cluster.
 * A heartbeat is O(1); a placement's snapshot of a cluster is O(its instances).
 *
 * <p>Freshness is the scheduler's own: an instance's last heartbeat is when this scheduler
 * received it (during the replay at start, Kafka's log-append time of the record), never
 * the agent's clock. Silence counts only while the state is up to date ({@link #isUpToDate}):
 * the state reader read every partition to its end a few seconds ago at most. Past that (the
 * process was paused, the reader fell behind), the news that would end a silence may be in
 * Kafka unread, so no agent is found disconnected or lost, and no unhealthy task stopped.
 *
 * <p>Thread-safe: changes hold the monitor, and queries return immutable values. The lookups
 * on every API call's path ({@link #cluster}, {@link #taskDefinition}, {@link #latestActive},
 * {@link #task}, {@link #clientToken}) and placement's {@link #candidates} and
 * {@link #candidate} read concurrent maps kept under the monitor without taking it, so a
 * call never waits behind a large batch of records being applied.
 */
public final class SchedulerState {

    /** Orders publishing a committed plan against reading placement's view (see {@link #publishing}). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock placementView =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    /**
     * How recently the state reader must have read every partition to its end ({@link #readToEnd})
     * for the state to be up to date ({@link #isUpToDate}): the reader asks every second, and a
     * few seconds leave room for a busy reader; a process paused longer misses it.
     */
    public static final Duration READ_TO_END_WITHIN = Duration.ofSeconds(5);

    /** The cluster every account has in ECS without creating it. */
    public static final String DEFAULT_CLUSTER = "default";

    private final Clock clock;
    private final Duration heartbeatTimeout;
    private final Duration stoppedTaskRetention;
    private final Duration instanceLostAfter;
    /** Since when this scheduler has heard the agents ({@link #listeningFrom}). */
    private volatile Instant listeningSince = Instant.MIN;
    /** Whether a state reader feeds this state ({@link #expectReader}). */
    private volatile boolean fedByReader;
    /** As of when the state reader had read every partition to its end ({@link #readToEnd}); null: not yet. */
    private final java.util.concurrent.atomic.AtomicReference<Instant> readToEnd =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile Instant lastRound;

    private final Map<String, ClusterRecord> clusters = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Integer, TaskDefinitionRecord>> taskDefinitions = new ConcurrentHashMap<>();
    private final Map<String, DesiredTask> desiredTasks = new ConcurrentHashMap<>();
    private final Map<String, TaskStateChange> taskReports = new ConcurrentHashMap<>();
    private final Map<String, InstanceRegistration> instances = new HashMap<>();
    private final SharedInstances sharedInstances = new SharedInstances();
    private final Map<String, Set<String>> instancesByCluster = new HashMap<>();
    /** Written under the monitor, read without it by {@link #candidates}. */
    private final Map<String, Instant> heartbeatSeen = new ConcurrentHashMap<>();
    /**
     * Each cluster's instances as placement sees them, rebuilt for an instance whenever its
     * registration or the tasks on its host change, and read without the monitor: a
     * placement never holds up the reader that applies heartbeats. Connectivity is not kept
     * here but judged from {@link #heartbeatSeen} when read. Each cluster's are kept in instance
     * id order, the order placement sorts them in, so its sort finds them sorted.
     */
    private final Map<String, Map<String, Candidate>> candidatesByCluster = new ConcurrentHashMap<>();
    private final Map<String, String> candidateCluster = new HashMap<>();
    /**
     * Per instance, how many of its tasks not desired STOPPED each task group has: what
     * distinctInstance, spread and {@code task:group} read, kept as tasks change.
     */
    private final Map<String, Map<String, Integer>> groupsByInstance = new HashMap<>();
    /**
     * False while the state is being rebuilt: placement's view is then built once, on first
     * use (or when the replay ends), rather than after each of the replay's records.
     */
    private volatile boolean candidatesKept;
    /**
     * The tasks held, published only once {@link #candidatesByCluster} counts what they take:
     * read without the monitor by the plans in flight (see {@code PendingPlacements}).
     */
    private final Set<String> heldTasks = ConcurrentHashMap.newKeySet();
    /** Instances set DRAINING: placement skips them; read without the monitor. */
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private final Map<String, InstanceControl> instanceControl = new HashMap<>();
    private final Map<String, ClientTokenRecord> clientTokens = new ConcurrentHashMap<>();
    /** berth.account-settings, by {@link AccountSettingRecord#key()}. */
    private final Map<String, AccountSettingRecord> accountSettings = new ConcurrentHashMap<>();
    /** Services by {@code <cluster>/<name>}. */
    private final Map<String, ServiceRecord> services = new HashMap<>();
    /** Told, without arguments, whenever a service or one of its tasks changes: wakes the service loop. */
    private volatile Runnable serviceActivity = () -> { };
    private final TaskIndex index = new TaskIndex();
    private final Allocations allocations = new Allocations();
    /** Tasks whose lastStatus or desiredStatus is STOPPED: what task reconciliation looks at. */
    private final Set<String> settling = new LinkedHashSet<>();
    private final Map<TaskStatus, Integer> byLastStatus = new EnumMap<>(TaskStatus.class);
    /**
     * Tasks this scheduler forgot whose tombstone its reader has not reached yet: the version
     * forgotten. The reader may still replay their older records; those must not bring them back.
     */
    private final Map<String, Long> forgotten = new HashMap<>();
    private final StagedSightings staged = new StagedSightings();
    /**
     * When this scheduler first saw each task reported STOPPED, by its own clock (for a record
     * replayed at start, when it was replayed): retention counts from then. The agent's
     * stoppedAt is its own clock's, and a host whose clock runs hours behind would have its
     * stopped tasks hidden and forgotten at once (one hours ahead, kept for as long).
     */
    private final Map<String, Instant> stoppedSeen = new HashMap<>();
    /**
     * Reports held without a desired record, with when this scheduler first saw each so: for a
     * moment while the two topics replay, or for good when an agent sent it after the task's
     * tombstones (it was down past the retention). Those older than the retention are tombstoned.
     */
    private final Map<String, Instant> orphanReports = new HashMap<>();
    private LeaderRecord leader;

    public SchedulerState(Clock clock, Duration heartbeatTimeout, Duration stoppedTaskRetention) {
        this(clock, heartbeatTimeout, stoppedTaskRetention, Duration.ofMinutes(5));
    }

    public SchedulerState(Clock clock, Duration heartbeatTimeout, Duration stoppedTaskRetention,
            Duration instanceLostAfter) {
        this.clock = clock;
        this.heartbeatTimeout = heartbeatTimeout;
        this.stoppedTaskRetention = stoppedTaskRetention;
        this.instanceLostAfter = instanceLostAfter;
    }

    public Clock clock() {
        return clock;
    }

    /** How long an instance may stay silent before the scheduler stops its tasks in its agent's stead. */
    public Duration instanceLostAfter() {
        return instanceLostAfter;
    }

    /**
     * A state reader feeds this state from Kafka: from now on the state is up to date
     * ({@link #isUpToDate}) only as far as the reader says ({@link #readToEnd}). A state that no
     * reader feeds (fed by its caller) is always up to date.
     */
    public void expectReader() {
        fedByReader = true;
    }

    /**
     * The state reader has read every partition up to the end that Kafka gave it when it asked,
     * at {@code asOf} by this scheduler's clock: the state holds everything Kafka held then.
     */
    public void readToEnd(Instant asOf) {
        readToEnd.accumulateAndGet(asOf, (held, at) -> held == null || at.isAfter(held) ? at : held);
    }

    /**
     * Whether the state holds what Kafka held {@link #READ_TO_END_WITHIN} ago or later. The verdicts
     * that silence gives (an agent disconnected or lost, a task left unhealthy) are taken only then.
     */
    public boolean isUpToDate() {
        if (!fedByReader) {
            return true;
        }
        Instant at = readToEnd.get();
        return at != null && !at.plus(READ_TO_END_WITHIN).isBefore(clock.instant());
    }

    /** How long an agent may stay silent before its instance shows {@code agentConnected=false}. */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** Applies a record received now; true when it changed the state. */
    public boolean apply(BerthRecord value) {
        return apply(value, null);
    }

    /**
     * Applies a record if it is newer than what is held; true when it changed the state.
     *
     * @param seenAt when the record reached Kafka, for records replayed from the log; null
     *               for one received now (an instance's heartbeat is then dated now)
     */
    public synchronized boolean apply(BerthRecord value, Instant seenAt) {
        if (value instanceof ClusterRecord c) {
            return putIfNewer(clusters, c.clusterName(), c);
        } else if (value instanceof TaskDefinitionRecord d) {
            return putDefinition(d);
        } else if (value instanceof DesiredTask t) {
            if (forgotten.containsKey(t.taskId()) || !isNewer(t, desiredTasks.get(t.taskId()))) {
                return false;
            }
            changeTask(t.taskId(), t, taskReports.get(t.taskId()));
            return true;
        } else if (value instanceof TaskStateChange e) {
            if (forgotten.containsKey(e.taskId()) || !isNewer(e, taskReports.get(e.taskId()))) {
                return false;
            }
            changeTask(e.taskId(), desiredTasks.get(e.taskId()), e);
            return true;
        } else if (value instanceof InstanceRegistration i) {
            return putInstance(i, seenAt == null ? clock.instant() : seenAt);
        } else if (value instanceof InstanceControl c) {
            boolean changed = putIfNewer(instanceControl, c.instanceId(), c);
            if (changed) {
                markDraining(c.instanceId(), InstanceControl.DRAINING.equals(c.status()));
                refreshHost(c.instanceId());
                serviceActivity.run();
            }
            return changed;
        } else if (value instanceof ClientTokenRecord c) {
            return putIfNewer(clientTokens, c.key(), c);
        } else if (value instanceof AccountSettingRecord a) {
            return putIfNewer(accountSettings, a.key(), a);
        } else if (value instanceof ServiceRecord s) {
            boolean changed = putIfNewer(services, s.key(), s);
            if (changed) {
                serviceActivity.run();
            }
            return changed;
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
        // Only while the reader has not passed the desired record's tombstone yet: past it, no
        // older record of the task is left to replay, and nothing would take the entry out.
        boolean tombstoneAhead = desiredTasks.containsKey(task.taskId());
        changeTask(task.taskId(), null, null);
        if (tombstoneAhead) {
            forgotten.put(task.taskId(), task.version());
        }
    }

    /**
     * A record that the state reader read from Kafka, on {@code topic} under {@code key}:
     * applied when newer than what the state holds, and noted when it is a staged record
     * ({@link #watchStaged}) coming back committed.
     */
    public synchronized boolean replayed(Topic topic, String key, BerthRecord value, Instant seenAt) {
        boolean changed = apply(value, seenAt);
        staged.read(topic, key, value);
        return changed;
    }

    /**
     * A record applied before its transaction commits: {@link #replayed} notes whether Kafka
     * gives it back, or another record of its key and version instead.
     */
    public void watchStaged(Topic topic, String key, BerthRecord record) {
        staged.watch(topic, key, record);
    }

    public void unwatchStaged(Topic topic, String key, long version) {
        staged.unwatch(topic, key, version);
    }

    /**
     * Takes staged plans back: each key they changed holds again what it held before the
     * oldest of them, except for the plans found committed. A plan one of whose records
     * ({@code records}: topic, key, version) the reader read back from Kafka did commit, and so
     * did every plan older than it. A record of a plan taken back whose key and version the
     * reader read with other content (another leader's write) is replaced by that record, and
     * a key whose record the reader replaced since, with one newer or after a staged tombstone,
     * keeps it. Returns how many plans, from the oldest, were kept.
     *
     * @param plans each plan's records and what to put back, oldest first
     */
    public synchronized int restoreUnlessReadBack(List<StagedPlan> plans) {
        int kept = 0;
        int from = plans.size();
        while (from > 0) {
            StagedPlan plan = plans.get(from - 1);
            if (plan.records().stream().anyMatch(r -> staged.wasRead(r.topic(), r.key(), r.version()))) {
                kept = from;
                break;
            }
            from--;
        }
        // Everything the plans taken back changed goes first, then what each key held before the
        // oldest of them: put back one by one, a record could be refused for another that is not
        // back yet (a registration while its instance still shows the deregistration).
        List<Previous> undo = new ArrayList<>();
        for (StagedPlan plan : plans.subList(kept, plans.size())) {
            undo.addAll(plan.previous());
        }
        java.util.Set<String> movedOn = movedOn(plans.subList(kept, plans.size()), undo);
        undo.removeIf(p -> movedOn.contains(p.topic().ordinal() + "/" + p.key()));
        for (Previous p : undo) {
            remove(p.topic(), p.key());
        }
        java.util.Set<String> restored = new java.util.HashSet<>();
        for (Previous p : undo) {
            if (restored.add(p.topic().ordinal() + "/" + p.key()) && p.record() != null) {
                apply(p.record(), null);
            }
        }
        for (StagedPlan plan : plans.subList(kept, plans.size())) {
            for (StagedRecord r : plan.records()) {
                BerthRecord instead = staged.readInstead(r.topic(), r.key(), r.version());
                if (instead != null) {
                    apply(instead, null);
                }
            }
        }
        for (StagedPlan plan : plans) {
            plan.records().forEach(r -> staged.unwatch(r.topic(), r.key(), r.version()));
        }
        return kept;
    }

    /**
     * The keys (topic ordinal / key) that hold a record neither staged by the plans taken back
     * nor held before them: the reader read it from Kafka since (a newer leader's write, or a
     * record after a staged tombstone). Kafka holds it, so taking the plans back leaves it.
     */
    private java.util.Set<String> movedOn(List<StagedPlan> takenBack, List<Previous> undo) {
        java.util.Set<String> stagedVersions = new java.util.HashSet<>();
        for (StagedPlan plan : takenBack) {
            for (StagedRecord r : plan.records()) {
                stagedVersions.add(r.topic().ordinal() + "/" + r.key() + "@" + r.version());
            }
        }
        java.util.Set<String> movedOn = new java.util.HashSet<>();
        for (Previous p : undo) {
            String id = p.topic().ordinal() + "/" + p.key();
            BerthRecord now = held(p.topic(), p.key());
            if (now != null && !stagedVersions.contains(id + "@" + now.version())
                    && undo.stream().noneMatch(q -> q.topic() == p.topic() && q.key().equals(p.key())
                            && now.equals(q.record()))) {
                movedOn.add(id);
            }
        }
        return movedOn;
    }

    /** A record staged: where it went and its version. */
    public record StagedRecord(Topic topic, String key, long version) {
    }

    /** What a key held before a staged plan changed it; null when it held nothing. */
    public record Previous(Topic topic, String key, BerthRecord record) {
    }

    /** One staged plan: the records it put, and what it replaced, in the order it changed them. */
    public record StagedPlan(List<StagedRecord> records, List<Previous> previous) {
    }

    /** Whether the task was forgotten (its tombstones written): no record of it may bring it back. */
    public synchronized boolean forgot(String taskId) {
        return forgotten.containsKey(taskId);
    }

    /** A tombstone on one of the scheduler's topics: the entity is gone. */
    public synchronized void remove(Topic topic, String key) {
        switch (topic) {
            case CLUSTERS -> clusters.remove(key);
            case TASK_DEFINITIONS -> removeDefinition(key);
            case TASKS -> {
                changeTask(key, null, taskReports.get(key));
                forgotten.remove(key);
            }
            case TASK_EVENTS -> changeTask(key, desiredTasks.get(key), null);
            case INSTANCES -> removeInstance(key);
            case INSTANCE_CONTROL -> {
                instanceControl.remove(key);
                markDraining(key, false);
                refreshHost(key);
            }
            case CLIENT_TOKENS -> clientTokens.remove(key);
            case ACCOUNT_SETTINGS -> accountSettings.remove(key);
            case SERVICES -> services.remove(key);
            case SCHEDULER_LEADER -> leader = null;
            default -> {
            }
        }
    }

    /**
     * The record the state holds under a key of one of its topics, or null: what to put back
     * with {@link #restore} if a change applied before its transaction committed is taken back.
     */
    public synchronized BerthRecord held(Topic topic, String key) {
        return switch (topic) {
            case CLUSTERS -> clusters.get(key);
            case TASK_DEFINITIONS -> {
                int colon = key.lastIndexOf(':');
                NavigableMap<Integer, TaskDefinitionRecord> family = colon < 0 ? null
                        : taskDefinitions.get(key.substring(0, colon));
                try {
                    yield family == null ? null : family.get(Integer.parseInt(key.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case TASKS -> desiredTasks.get(key);
            case TASK_EVENTS -> taskReports.get(key);
            case INSTANCES -> instances.get(key);
            case INSTANCE_CONTROL -> instanceControl.get(key);
            case CLIENT_TOKENS -> clientTokens.get(key);
            case ACCOUNT_SETTINGS -> accountSettings.get(key);
            case SERVICES -> services.get(key);
            case SCHEDULER_LEADER -> leader;
            default -> null;
        };
    }

    /**
     * Puts back what {@link #held} returned (null: nothing), whatever the versions: takes back
     * a change that this process applied and Kafka never committed. A task's desired record
     * is put back before its report, since a forgotten task takes no report.
     */
    public synchronized void restore(Topic topic, String key, BerthRecord previous) {
        remove(topic, key);
        if (previous != null) {
            apply(previous, null);
        }
    }

    private static boolean isNewer(BerthRecord incoming, BerthRecord held) {
        return Versions.isNewer(incoming.version(), held == null ? null : held.version());
    }

    private static <T extends BerthRecord> boolean putIfNewer(Map<String, T> map, String key, T value) {
        if (!isNewer(value, map.get(key))) {
            return false;
        }
        map.put(key, value);
        return true;
    }

    /** Moves one task from its old (desired, report) to the new pair, keeping every index right. */
    private void changeTask(String taskId, DesiredTask desired, TaskStateChange report) {
        DesiredTask oldDesired = desiredTasks.get(taskId);
        TaskView before = oldDesired == null ? null : TaskView.fold(oldDesired, taskReports.get(taskId));
        if (desired == null) {
            desiredTasks.remove(taskId);
        } else {
            desiredTasks.put(taskId, desired);
        }
        if (report == null) {
            taskReports.remove(taskId);
        } else {
            taskReports.put(taskId, report);
        }
        TaskView after = desired == null ? null : TaskView.fold(desired, report);
        if (isServiceTask(before) || isServiceTask(after)) {
            serviceActivity.run();
        }
        // A report alone leaves the desired record, and so the indexes and group counts it keys, as they were
        boolean sameDesired = before != null && after != null && before.desired() == after.desired();
        if (before != null) {
            if (!sameDesired) {
                index.remove(before.desired());
                countGroup(before, -1);
            }
            allocations.release(before);
            byLastStatus.merge(before.lastStatus(), -1, Integer::sum);
            refreshHost(before.instanceId());
        }
        settling.remove(taskId);
        if (desired == null && report != null) {
            orphanReports.putIfAbsent(taskId, clock.instant());
        } else {
            orphanReports.remove(taskId);
        }
        if (after != null && after.observed() != null && after.observed().lastStatus() == TaskStatus.STOPPED) {
            stoppedSeen.putIfAbsent(taskId, clock.instant());
        } else {
            stoppedSeen.remove(taskId);
        }
        if (after != null) {
            if (!sameDesired) {
                index.add(after.desired());
                countGroup(after, 1);
            }
            allocations.take(after);
            byLastStatus.merge(after.lastStatus(), 1, Integer::sum);
            refreshHost(after.instanceId());
            if (after.isStopped() || after.desiredStatus() == TaskStatus.STOPPED) {
                settling.add(taskId);
            }
            heldTasks.add(taskId);
        } else {
            heldTasks.remove(taskId);
        }
    }

    private void countGroup(TaskView task, int sign) {
        String group = task.desired().group();
        if (task.desiredStatus() == TaskStatus.STOPPED || task.instanceId() == null || group == null) {
            return;
        }
        Map<String, Integer> groups = groupsByInstance.computeIfAbsent(task.instanceId(), id -> new HashMap<>());
        if (groups.merge(group, sign, Integer::sum) <= 0) {
            groups.remove(group);
        }
        if (groups.isEmpty()) {
            groupsByInstance.remove(task.instanceId());
        }
    }

    private static boolean isServiceTask(TaskView task) {
        return task != null && task.desired().group() != null && task.desired().group().startsWith("service:");
    }

    // Services

    /** What to tell when a service or one of its tasks changes; it must return at once. */
    public void onServiceActivity(Runnable listener) {
        serviceActivity = listener;
    }

    public synchronized Optional<ServiceRecord> service(String cluster, String serviceName) {
        return Optional.ofNullable(services.get(ServiceRecord.key(cluster, serviceName)));
    }

    /** The services of a cluster, every status, by name. */
    public synchronized List<ServiceRecord> services(String cluster) {
        List<ServiceRecord> result = new ArrayList<>();
        for (ServiceRecord service : services.values()) {
            if (service.cluster().equals(cluster)) {
                result.add(service);
            }
        }
        result.sort(Comparator.comparing(ServiceRecord::serviceName));
        return result;
    }

    /** The services the scheduler keeps at their desired state: ACTIVE and DRAINING ones. */
    public synchronized List<ServiceRecord> servicesToReconcile() {
        List<ServiceRecord> result = new ArrayList<>();
        for (ServiceRecord service : services.values()) {
            if (!ServiceRecord.INACTIVE.equals(service.status())) {
                result.add(service);
            }
        }
        result.sort(Comparator.comparing(ServiceRecord::key));
        return result;
    }

    // Leadership and client tokens

    /** The last leader that announced itself on berth.scheduler-leader. */
    public synchronized Optional<LeaderRecord> leader() {
        return Optional.ofNullable(leader);
    }

    /** Every account setting set for a principal, in no order. */
    public List<AccountSettingRecord> accountSettings() {
        return List.copyOf(accountSettings.values());
    }

    public Optional<AccountSettingRecord> accountSetting(String principalArn, String name) {
        return Optional.ofNullable(accountSettings.get(AccountSettingRecord.key(principalArn, name)));
    }

    public Optional<ClientTokenRecord> clientToken(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(clientTokens.get(key));
    }

    /** Every client token held, for the reconciler to tombstone those past the window. */
    public synchronized List<ClientTokenRecord> clientTokens() {
        return List.copyOf(clientTokens.values());
    }

    // Clusters

    public Optional<ClusterRecord> cluster(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(clusters.get(name));
    }

    public synchronized List<ClusterRecord> clusters() {
        List<ClusterRecord> all = new ArrayList<>(clusters.values());
        all.sort(Comparator.comparing(ClusterRecord::clusterName));
        return all;
    }

    // Task definitions

    private boolean putDefinition(TaskDefinitionRecord record) {
        TaskDefinition definition = record.taskDefinition();
        NavigableMap<Integer, TaskDefinitionRecord> family = taskDefinitions.computeIfAbsent(definition.family(),
                f -> new ConcurrentSkipListMap<>());
        if (!isNewer(record, family.get(definition.revision()))) {
            return false;
        }
        family.put(definition.revision(), record);
        return true;
    }

    private void removeDefinition(String familyRevision) {
        int colon = familyRevision.lastIndexOf(':');
        if (colon < 0) {
            return;
        }
        NavigableMap<Integer, TaskDefinitionRecord> family = taskDefinitions.get(familyRevision.substring(0, colon));
        if (family != null) {
            try {
                family.remove(Integer.parseInt(familyRevision.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return;
            }
            if (family.isEmpty()) {
                taskDefinitions.remove(familyRevision.substring(0, colon));
            }
        }
    }

    public Optional<TaskDefinitionRecord> taskDefinition(String family, int revision) {
        NavigableMap<Integer, TaskDefinitionRecord> revisions = (family == null ? null : taskDefinitions.get(family));
        return revisions == null ? Optional.empty() : Optional.ofNullable(revisions.get(revision));
    }

    /** The highest revision ever registered in the family, 0 when none. */
    public int lastRevision(String family) {
        NavigableMap<Integer, TaskDefinitionRecord> revisions = (family == null ? null : taskDefinitions.get(family));
        return revisions == null || revisions.isEmpty() ? 0 : revisions.lastKey();
    }

    public Optional<TaskDefinitionRecord> latestActive(String family) {
        NavigableMap<Integer, TaskDefinitionRecord> revisions = (family == null ? null : taskDefinitions.get(family));
        if (revisions == null) {
            return Optional.empty();
        }
        for (TaskDefinitionRecord r : revisions.descendingMap().values()) {
            if (TaskDefinition.ACTIVE.equals(r.taskDefinition().status())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Every task definition, by family then revision. */
    public synchronized List<TaskDefinition> taskDefinitions() {
        List<TaskDefinition> all = new ArrayList<>();
        new TreeMap<>(taskDefinitions).values().forEach(revisions ->
                revisions.values().forEach(r -> all.add(r.taskDefinition())));
        return all;
    }

    // Tasks

    public Optional<TaskView> task(String taskId) {
        DesiredTask desired = taskId == null ? null : desiredTasks.get(taskId);
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

    /**
     * The tasks that task reconciliation may act on: every task stopped or desired stopped
     * (retention), and every unstopped task of a lost instance. O(those), not O(all tasks).
     */
    public synchronized List<TaskView> tasksToReconcile() {
        List<TaskView> result = new ArrayList<>();
        for (String taskId : settling) {
            result.add(TaskView.fold(desiredTasks.get(taskId), taskReports.get(taskId)));
        }
        for (String instanceId : instances.keySet()) {
            if (isLost(instanceId)) {
                for (String taskId : index.onInstance(instanceId)) {
                    if (!settling.contains(taskId)) {
                        result.add(TaskView.fold(desiredTasks.get(taskId), taskReports.get(taskId)));
                    }
                }
            }
        }
        return result;
    }

    /** The tasks of a cluster that are still visible (STOPPED ones only within the retention). */
    public synchronized List<TaskView> tasks(String cluster) {
        return visible(index.inCluster(cluster));
    }

    /** The visible tasks placed on one container instance. */
    public synchronized List<TaskView> tasksOnInstance(String instanceId) {
        return visible(index.onInstance(instanceId));
    }

    /**
     * The visible tasks of one task group, in no order: for the service scheduler and the
     * service counts, which read every task of a service and need no sort.
     */
    public synchronized List<TaskView> groupTasks(String cluster, String group) {
        List<TaskView> result = new ArrayList<>();
        for (String taskId : index.inGroup(cluster, group)) {
            TaskView view = TaskView.fold(desiredTasks.get(taskId), taskReports.get(taskId));
            if (!isExpired(view)) {
                result.add(view);
            }
        }
        return result;
    }

    private List<TaskView> visible(Set<String> taskIds) {
        List<TaskView> result = new ArrayList<>();
        for (String taskId : taskIds) {
            TaskView view = TaskView.fold(desiredTasks.get(taskId), taskReports.get(taskId));
            if (!isExpired(view)) {
                result.add(view);
            }
        }
        result.sort(Comparator.comparing((TaskView v) -> v.desired().createdAt(),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(TaskView::taskId));
        return result;
    }

    /** How many tasks held there are in each lastStatus, over every cluster (absent statuses count zero). */
    public synchronized Map<TaskStatus, Integer> countByLastStatus() {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        byLastStatus.forEach((status, count) -> {
            if (count > 0) {
                counts.put(status, count);
            }
        });
        return counts;
    }

    /** Tasks whose report has been held without a desired record for longer than the retention: at most {@code limit}. */
    public synchronized List<String> orphanReports(int limit) {
        Instant cutoff = clock.instant().minus(stoppedTaskRetention);
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, Instant> entry : orphanReports.entrySet()) {
            if (old.size() >= limit) {
                break;
            }
            if (entry.getValue().isBefore(cutoff)) {
                old.add(entry.getKey());
            }
        }
        return old;
    }

    /** When this scheduler first saw the task reported STOPPED, by its own clock; null when it was not. */
    public synchronized Instant stoppedSeenAt(String taskId) {
        return stoppedSeen.get(taskId);
    }

    private boolean isExpired(TaskView view) {
        if (!view.isStopped()) {
            return false;
        }
        Instant seen = stoppedSeen.get(view.taskId());
        Instant stoppedAt = seen != null ? seen : view.stoppedAt() != null ? view.stoppedAt()
                : view.observed() != null ? view.observed().reportedAt() : null;
        return stoppedAt != null && stoppedAt.plus(stoppedTaskRetention).isBefore(clock.instant());
    }

    // Container instances

    /** Whether two agents have reported as this instance ({@link SharedInstances}). */
    synchronized boolean isShared(String instanceId) {
        return sharedInstances.contains(instanceId);
    }

    /** How many instances two agents have reported as ({@link SharedInstances}), for the metric. */
    public synchronized int sharedInstanceCount() {
        return sharedInstances.count();
    }

    private boolean putInstance(InstanceRegistration registration, Instant seenAt) {
        String id = registration.instanceId();
        if (isDeregistered(id)) {
            return false;
        }
        InstanceRegistration held = instances.get(id);
        if (sharedInstances.isSecondAgent(held, registration)) {
            return false;
        }
        if (held != null && registration.version() == held.version()) {
            // The agent re-sends an unchanged registration as its heartbeat: only its freshness counts.
            markSeen(id, seenAt);
            return false;
        }
        if (!isNewer(registration, held)) {
            return false;
        }
        if (held != null && !held.cluster().equals(registration.cluster())) {
            instancesByCluster.getOrDefault(held.cluster(), Set.of()).remove(id);
        }
        instances.put(id, registration);
        instancesByCluster.computeIfAbsent(registration.cluster(), c -> new LinkedHashSet<>()).add(id);
        markSeen(id, seenAt);
        Set<String> formerHost = allocations.sharing(id);
        allocations.register(id, hostOf(registration));
        formerHost.forEach(this::refreshCandidate);
        refreshHost(id);
        return true;
    }

    private void markDraining(String instanceId, boolean isDraining) {
        if (isDraining) {
            draining.add(instanceId);
        } else {
            draining.remove(instanceId);
        }
    }

    /** ACTIVE or DRAINING, as DescribeContainerInstances shows a registered instance. */
    public String instanceStatus(String instanceId) {
        return draining.contains(instanceId) ? InstanceControl.DRAINING : InstanceControl.ACTIVE;
    }

    /** The instances set DRAINING, of every cluster; without the monitor. */
    public Set<String> drainingInstances() {
        return Set.copyOf(draining);
    }

    /** The latest control record of an instance (its status and version), if any. */
    public synchronized Optional<InstanceControl> instanceControl(String instanceId) {
        return Optional.ofNullable(instanceControl.get(instanceId));
    }

    private Map<String, String> customAttributes(String instanceId) {
        InstanceControl control = instanceControl.get(instanceId);
        return control == null ? Map.of() : control.attributes();
    }

    private void markSeen(String instanceId, Instant seenAt) {
        Instant previous = heartbeatSeen.get(instanceId);
        if (previous == null || seenAt.isAfter(previous)) {
            heartbeatSeen.put(instanceId, seenAt);
        }
    }

    private void removeInstance(String instanceId) {
        InstanceRegistration held = instances.remove(instanceId);
        if (held != null) {
            instancesByCluster.getOrDefault(held.cluster(), Set.of()).remove(instanceId);
        }
        heartbeatSeen.remove(instanceId);
        Set<String> formerHost = allocations.sharing(instanceId);
        allocations.unregister(instanceId);
        formerHost.forEach(this::refreshCandidate);
    }

    /** Rebuilds placement's view of every instance on this instance's host. */
    private void refreshHost(String instanceId) {
        if (instanceId != null && candidatesKept) {
            allocations.sharing(instanceId).forEach(this::refreshCandidate);
        }
    }

    /**
     * Builds placement's view of every instance and keeps it from then on: called when the
     * replay at start has ended, or by the first placement, whichever comes first.
     */
    public synchronized void keepCandidates() {
        if (!candidatesKept) {
            candidatesKept = true;
            instances.keySet().forEach(this::refreshCandidate);
        }
    }

    private void refreshCandidate(String instanceId) {
        if (!candidatesKept) {
            return;
        }
        InstanceRegistration registration = instances.get(instanceId);
        String formerCluster = candidateCluster.get(instanceId);
        if (registration == null || isDeregistered(instanceId)) {
            candidateCluster.remove(instanceId);
            if (formerCluster != null) {
                candidatesByCluster.getOrDefault(formerCluster, Map.of()).remove(instanceId);
            }
            return;
        }
        if (formerCluster != null && !formerCluster.equals(registration.cluster())) {
            candidatesByCluster.getOrDefault(formerCluster, Map.of()).remove(instanceId);
        }
        candidateCluster.put(instanceId, registration.cluster());
        candidatesByCluster.computeIfAbsent(registration.cluster(), c -> new ConcurrentSkipListMap<>())
                .put(instanceId, Candidate.of(registration, !registration.shuttingDown(), allocations.remaining(
                        instanceId, registration.registeredResources())).withTasks(allocations.of(instanceId).running(),
                        groupsByInstance.getOrDefault(instanceId, Map.of())).withAttributes(customAttributes(instanceId))
                        .withUdpPortsTaken(udpTaken(instanceId, registration)));
    }

    /** The UDP ports the host's tasks bind, and those its agent reserved (ECS_RESERVED_PORTS_UDP). */
    private Set<Integer> udpTaken(String instanceId, InstanceRegistration registration) {
        Set<Integer> taken = new java.util.TreeSet<>(allocations.udpTaken(instanceId));
        if (registration.registeredResources() != null) {
            taken.addAll(registration.registeredResources().portsUdp());
        }
        return taken;
    }

    private static String hostOf(InstanceRegistration registration) {
        return registration.hostname() == null ? registration.instanceId() : registration.hostname();
    }

    private boolean isDeregistered(String instanceId) {
        InstanceControl control = instanceControl.get(instanceId);
        return control != null && InstanceControl.DEREGISTERED.equals(control.status());
    }

    public synchronized Optional<InstanceView> instance(String instanceId) {
        InstanceRegistration registration = instances.get(instanceId);
        return registration == null || isDeregistered(instanceId) ? Optional.empty()
                : Optional.of(view(registration));
    }

    /** How many instances the cluster has registered and not deregistered: O(them), no views built. */
    public synchronized int instanceCount(String cluster) {
        int count = 0;
        for (String id : instancesByCluster.getOrDefault(cluster, Set.of())) {
            if (!isDeregistered(id)) {
                count++;
            }
        }
        return count;
    }

    public synchronized List<InstanceView> instances(String cluster) {
        List<InstanceView> result = new ArrayList<>();
        for (String id : instancesByCluster.getOrDefault(cluster, Set.of())) {
            if (!isDeregistered(id)) {
                result.add(view(instances.get(id)));
            }
        }
        result.sort(Comparator.comparing(InstanceView::instanceId));
        return result;
    }

    /**
     * The cluster's instances that take new tasks (DRAINING ones do not) as placement sees
     * them, without taking the monitor: each is what the state held after some record was
     * applied, never a half-applied change. O(the cluster's instances).
     */
    public List<Candidate> candidates(String cluster) {
        if (!candidatesKept) {
            keepCandidates();
        }
        Map<String, Candidate> held = candidatesByCluster.get(cluster);
        if (held == null) {
            return List.of();
        }
        Instant freshSince = freshSince(clock.instant());
        List<Candidate> result = new ArrayList<>(held.size());
        for (Candidate candidate : held.values()) {
            if (draining.contains(candidate.instanceId())) {
                continue;
            }
            result.add(!candidate.agentConnected() || isFresh(heartbeatSeen.get(candidate.instanceId()), freshSince)
                    ? candidate
                    : candidate.withAgentConnected(false));
        }
        return result;
    }

    /**
     * Runs {@code publish} (applying a committed plan, then letting its callers stop counting
     * it in flight) so that no {@link #readingPlacementView} runs meanwhile: a view read then
     * sees a plan either in flight or held by the state, never as both.
     */
    public void publishing(Runnable publish) {
        placementView.writeLock().lock();
        try {
            publish.run();
        } finally {
            placementView.writeLock().unlock();
        }
    }

    /**
     * Reads placement's view (the plans in flight, then the instances) as one cut with respect
     * to {@link #publishing}; any number of readers at once.
     */
    public <T> T readingPlacementView(java.util.function.Supplier<T> read) {
        placementView.readLock().lock();
        try {
            return read.get();
        } finally {
            placementView.readLock().unlock();
        }
    }

    /**
     * Whether the state holds the task, and so counts what it takes in {@link #candidates}:
     * without the monitor.
     */
    public boolean holdsTask(String taskId) {
        return heldTasks.contains(taskId);
    }

    /** One instance as placement sees it (StartTask names its instances), without the monitor. */
    public Optional<Candidate> candidate(String instanceId) {
        if (!candidatesKept) {
            keepCandidates();
        }
        for (Map<String, Candidate> cluster : candidatesByCluster.values()) {
            Candidate candidate = cluster.get(instanceId);
            if (candidate != null) {
                return Optional.of(candidate.agentConnected()
                        && !isFresh(heartbeatSeen.get(instanceId), freshSince(clock.instant()))
                        ? candidate.withAgentConnected(false)
                        : candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a heartbeat seen at {@code seen} is fresh: no earlier than {@code freshSince}
     * ({@link #freshSince}), worked out once for a pass over every instance rather than once an
     * instance.
     */
    private static boolean isFresh(Instant seen, Instant freshSince) {
        return seen != null && !seen.isBefore(freshSince);
    }

    /** The oldest heartbeat that is still fresh at {@code now}. */
    private Instant freshSince(Instant now) {
        return now.minus(heartbeatTimeout);
    }

    /**
     * Instances whose agent has been silent past the lost-after period (by this scheduler's
     * clock); none while the state is not up to date ({@link #isUpToDate}).
     */
    public synchronized List<String> lostInstances() {
        List<String> lost = new ArrayList<>();
        if (!isUpToDate()) {
            return lost;
        }
        for (String id : instances.keySet()) {
            if (isLost(id)) {
                lost.add(id);
            }
        }
        return lost;
    }

    /**
     * The instances whose agent this scheduler hears otherwise than their control record says:
     * true for an agent heard again after it was recorded disconnected, false for one silent
     * past the heartbeat timeout (by this scheduler's clock) and recorded connected, only while
     * the state is up to date ({@link #isUpToDate}). Deregistered instances are left out.
     * O(instances).
     */
    public synchronized Map<String, Boolean> agentConnectionsToRecord() {
        Instant freshSince = freshSince(clock.instant());
        boolean upToDate = isUpToDate();
        Map<String, Boolean> changed = new TreeMap<>();
        for (String id : instances.keySet()) {
            InstanceControl control = instanceControl.get(id);
            boolean recorded = control == null || control.agentConnected();
            boolean heard = isFresh(heartbeatSeen.get(id), freshSince);
            if (heard != recorded && (heard || upToDate) && !isDeregistered(id)) {
                changed.put(id, heard);
            }
        }
        return changed;
    }

    private boolean isLost(String instanceId) {
        Instant seen = heartbeatSeen.get(instanceId);
        InstanceRegistration registration = instances.get(instanceId);
        if (seen == null || registration == null || isDeregistered(instanceId)) {
            return false;
        }
        Instant silentSince = seen.isAfter(listeningSince) ? seen : listeningSince;
        return silentSince.plus(instanceLostAfter).isBefore(clock.instant());
    }

    /**
     * This scheduler hears the agents from {@code at} on: it took the leadership over, or its
     * rounds stopped for a while (the process paused, Kafka out of reach). An agent's silence
     * counts towards losing its instance only from then, as Nomad gives every node a fresh
     * heartbeat period when a leader takes over: silence that nobody listened to says nothing
     * of the agent, and after a Kafka outage longer than the lost-after period it would
     * otherwise stop every task on every host at the first round.
     */
    public void listeningFrom(Instant at) {
        listeningSince = at;
    }

    /**
     * A task round at {@code now}: when the round before was longer ago than half the
     * lost-after period (rounds come every few seconds), this scheduler was not listening
     * meanwhile, and listens again from now.
     */
    public void roundAt(Instant now) {
        Instant previous = lastRound;
        lastRound = now;
        if (previous != null && previous.plus(instanceLostAfter.dividedBy(2)).isBefore(now)) {
            listeningFrom(now);
        }
    }

    private InstanceView view(InstanceRegistration registration) {
        Allocations.Usage usage = allocations.of(registration.instanceId());
        InstanceControl control = instanceControl.get(registration.instanceId());
        return new InstanceView(registration, isConnected(registration),
                allocations.remaining(registration.instanceId(), registration.registeredResources()),
                usage.running(), usage.pending(), heartbeatSeen.get(registration.instanceId()),
                customAttributes(registration.instanceId()), control == null ? 0 : control.version());
    }

    private boolean isConnected(InstanceRegistration registration) {
        return !registration.shuttingDown()
                && isFresh(heartbeatSeen.get(registration.instanceId()), freshSince(clock.instant()));
    }
}
