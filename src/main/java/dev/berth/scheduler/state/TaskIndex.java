package dev.berth.scheduler.state;

import dev.berth.protocol.DesiredTask;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Task ids by cluster, by container instance and by task group, kept as desired tasks come
 * and go, so that listing a cluster's tasks or an instance's never walks every task. Not
 * thread-safe: {@link SchedulerState} holds its monitor.
 */
final class TaskIndex {

    private final Map<String, Set<String>> byCluster = new HashMap<>();
    private final Map<String, Set<String>> byInstance = new HashMap<>();
    private final Map<String, Set<String>> byGroup = new HashMap<>();

    void add(DesiredTask task) {
        put(byCluster, task.cluster(), task.taskId());
        put(byInstance, task.instanceId(), task.taskId());
        put(byGroup, groupKey(task.cluster(), task.group()), task.taskId());
    }

    void remove(DesiredTask task) {
        drop(byCluster, task.cluster(), task.taskId());
        drop(byInstance, task.instanceId(), task.taskId());
        drop(byGroup, groupKey(task.cluster(), task.group()), task.taskId());
    }

    Set<String> inCluster(String cluster) {
        return Set.copyOf(byCluster.getOrDefault(cluster, Set.of()));
    }

    Set<String> onInstance(String instanceId) {
        return Set.copyOf(byInstance.getOrDefault(instanceId, Set.of()));
    }

    Set<String> inGroup(String cluster, String group) {
        return Set.copyOf(byGroup.getOrDefault(groupKey(cluster, group), Set.of()));
    }

    private static String groupKey(String cluster, String group) {
        return cluster + "/" + group;
    }

    private static void put(Map<String, Set<String>> index, String key, String taskId) {
        if (key != null) {
            index.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(taskId);
        }
    }

    private static void drop(Map<String, Set<String>> index, String key, String taskId) {
        Set<String> ids = key == null ? null : index.get(key);
        if (ids != null) {
            ids.remove(taskId);
            if (ids.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
