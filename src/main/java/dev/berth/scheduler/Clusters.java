package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.model.Tag;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/** Clusters: create, find (by name or ARN; {@code default} always exists), count. */
public final class Clusters {

    public static final String ACTIVE = "ACTIVE";
    public static final String INACTIVE = "INACTIVE";

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;

    Clusters(SchedulerState state, StateWriter writer, Lock writeLock) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
    }

    /** A cluster with the numbers DescribeClusters shows. */
    public record ClusterSummary(ClusterRecord cluster, int registeredContainerInstancesCount,
            int runningTasksCount, int pendingTasksCount, int activeServicesCount, int drainingServicesCount) {
    }

    /** Creates the cluster, or returns it unchanged when it exists (ECS is idempotent here). */
    public ClusterSummary create(String clusterName) {
        return create(clusterName, List.of(), List.of());
    }

    /**
     * Creates the cluster with its tags and settings, or returns it unchanged when it is
     * ACTIVE already (ECS is idempotent here).
     */
    public ClusterSummary create(String clusterName, List<Tag> tags, List<ClusterRecord.Setting> settings) {
        List<Tag> keptTags = Tags.validate(tags);
        List<ClusterRecord.Setting> keptSettings = ClusterSettings.validate(settings);
        String name = clusterName == null || clusterName.isBlank() ? SchedulerState.DEFAULT_CLUSTER : clusterName;
        if (!CLUSTER_NAME.matcher(name).matches()) {
            throw EcsException.invalidParameter("Invalid 'clusterName': up to 255 letters (uppercase and lowercase), "
                    + "numbers, underscores and hyphens are allowed.");
        }
        writeLock.lock();
        try {
            Optional<ClusterRecord> existing = state.cluster(name);
            if (existing.isEmpty() || !ACTIVE.equals(existing.get().status())) {
                Instant now = state.clock().instant();
                long version = existing.map(c -> c.version() + 1).orElse(1L);
                writer.write(new ClusterRecord(BerthRecord.SCHEMA_VERSION, version, name, ACTIVE, now, keptTags,
                        keptSettings));
            }
        } finally {
            writeLock.unlock();
        }
        return summary(require(name));
    }

    /**
     * UpdateClusterSettings and UpdateCluster's {@code settings}: the given settings replace
     * those of their name; the cluster's record is re-sent with a higher version.
     */
    public ClusterSummary updateSettings(String nameOrArn, List<ClusterRecord.Setting> settings) {
        if (settings == null || settings.isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'settings': at least one setting is required.");
        }
        ClusterSettings.validate(settings);
        writeLock.lock();
        try {
            ClusterRecord cluster = require(nameOrArn);
            List<ClusterRecord.Setting> merged = ClusterSettings.merged(cluster, settings);
            if (!merged.equals(cluster.settings())) {
                writer.write(cluster.withSettings(cluster.version() + 1, merged));
            }
        } finally {
            writeLock.unlock();
        }
        return summary(require(nameOrArn));
    }

    /** The ACTIVE cluster named by a name or ARN (null means {@code default}), or ClusterNotFoundException. */
    public ClusterRecord require(String nameOrArn) {
        return find(nameOrArn).filter(c -> ACTIVE.equals(c.status())).orElseThrow(EcsException::clusterNotFound);
    }

    /**
     * DeleteCluster: the cluster becomes INACTIVE, as in ECS, and is refused while container
     * instances are registered in it or tasks not yet STOPPED run in it.
     */
    public ClusterSummary delete(String nameOrArn) {
        ClusterRecord cluster = require(nameOrArn);
        writeLock.lock();
        try {
            // Tasks still being written into the cluster must count: wait for them first.
            writer.drain();
            String name = cluster.clusterName();
            if (!state.instances(name).isEmpty()) {
                throw new EcsException(EcsErrorType.ClusterContainsContainerInstancesException,
                        "The Cluster cannot be deleted while Container Instances are active or draining.");
            }
            if (state.services(name).stream().anyMatch(s -> !ServiceRecord.INACTIVE.equals(s.status()))) {
                throw new EcsException(EcsErrorType.ClusterContainsServicesException,
                        "The Cluster cannot be deleted while Services are active.");
            }
            if (state.tasks(name).stream().anyMatch(t -> !t.isStopped())) {
                throw new EcsException(EcsErrorType.ClusterContainsTasksException,
                        "The Cluster cannot be deleted while Tasks are active.");
            }
            ClusterRecord inactive = cluster.withStatus(cluster.version() + 1, INACTIVE);
            writer.write(inactive);
            return new ClusterSummary(inactive, 0, 0, 0, 0, 0);
        } finally {
            writeLock.unlock();
        }
    }

    public Optional<ClusterRecord> find(String nameOrArn) {
        String name = nameOf(nameOrArn);
        Optional<ClusterRecord> held = state.cluster(name);
        if (held.isEmpty() && SchedulerState.DEFAULT_CLUSTER.equals(name)) {
            return Optional.of(new ClusterRecord(BerthRecord.SCHEMA_VERSION, 0, name, ACTIVE, null));
        }
        return held;
    }

    /** Every ACTIVE cluster, {@code default} included unless it was deleted, by name. */
    public List<ClusterRecord> list() {
        List<ClusterRecord> all = new ArrayList<>(state.clusters().stream().filter(c -> ACTIVE.equals(c.status()))
                .toList());
        if (state.cluster(SchedulerState.DEFAULT_CLUSTER).isEmpty()) {
            all.add(find(SchedulerState.DEFAULT_CLUSTER).orElseThrow());
            all.sort((a, b) -> a.clusterName().compareTo(b.clusterName()));
        }
        return all;
    }

    public ClusterSummary summary(ClusterRecord cluster) {
        List<InstanceView> instances = state.instances(cluster.clusterName());
        int running = 0;
        int pending = 0;
        for (TaskView task : state.tasks(cluster.clusterName())) {
            if (task.isRunning()) {
                running++;
            } else if (task.isPending()) {
                pending++;
            }
        }
        int services = 0;
        int draining = 0;
        for (ServiceRecord service : state.services(cluster.clusterName())) {
            if (ServiceRecord.ACTIVE.equals(service.status())) {
                services++;
            } else if (ServiceRecord.DRAINING.equals(service.status())) {
                draining++;
            }
        }
        return new ClusterSummary(cluster, instances.size(), running, pending, services, draining);
    }

    /** A cluster name from a name, an ARN or nothing ({@code default}). */
    public static String nameOf(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isBlank()) {
            return SchedulerState.DEFAULT_CLUSTER;
        }
        return Arns.lastSegment(nameOrArn);
    }
}
