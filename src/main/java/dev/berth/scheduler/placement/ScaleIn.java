package dev.berth.scheduler.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Which of a service's tasks to stop when it scales in, as its strategies imply (the ECS
 * developer guide, "task placement strategies"): for {@code binpack}, the task whose instance
 * has the most of the resource available once the task is gone; for {@code spread}, a task
 * from the value (instance, or attribute value) holding the most of the service's tasks, so
 * the values stay balanced; for {@code random}, any of those tied. Strategies chain as for
 * placement; the task id breaks the ties left. Each choice counts the ones before it. Pure but
 * for the injected random source; O(count × tasks), which suits one service's tasks.
 */
public final class ScaleIn {

    private final RandomGenerator random;

    public ScaleIn(RandomGenerator random) {
        this.random = random;
    }

    /** The ids of the {@code count} tasks to stop (fewer if there are fewer tasks), in order. */
    public List<String> choose(ClusterSnapshot snapshot, List<RunningTask> tasks, int count,
            List<Strategy> strategies) {
        Map<String, Candidate> instances = new HashMap<>();
        snapshot.candidates().forEach(c -> instances.put(c.instanceId(), c));
        Remaining remaining = new Remaining(instances, tasks);
        List<RunningTask> left = new ArrayList<>(tasks);
        left.sort(Comparator.comparing(RunningTask::taskId));
        List<String> stopped = new ArrayList<>();
        while (stopped.size() < count && !left.isEmpty()) {
            RunningTask chosen = next(left, strategies, remaining);
            left.remove(chosen);
            remaining.stopped(chosen);
            stopped.add(chosen.taskId());
        }
        return stopped;
    }

    private RunningTask next(List<RunningTask> left, List<Strategy> strategies, Remaining remaining) {
        List<RunningTask> ties = left;
        for (Strategy strategy : strategies) {
            if (strategy instanceof Strategy.Random) {
                return ties.get(random.nextInt(ties.size()));
            }
            long best = ties.stream().mapToLong(t -> remaining.rank(strategy, t)).max().orElseThrow();
            ties = ties.stream().filter(t -> remaining.rank(strategy, t) == best).toList();
        }
        return ties.get(0);
    }

    /** What the instances keep and hold as the chosen tasks stop; higher ranks stop first. */
    private static final class Remaining {
        private final Map<String, Candidate> instances;
        private final Map<String, long[]> freed = new HashMap<>();
        private final Map<String, Integer> tasksPerInstance = new HashMap<>();

        Remaining(Map<String, Candidate> instances, List<RunningTask> tasks) {
            this.instances = instances;
            tasks.forEach(t -> tasksPerInstance.merge(t.instanceId(), 1, Integer::sum));
        }

        void stopped(RunningTask task) {
            long[] amounts = freed.computeIfAbsent(task.instanceId(), id -> new long[2]);
            amounts[0] += task.demand().cpu();
            amounts[1] += task.demand().memory();
            tasksPerInstance.merge(task.instanceId(), -1, Integer::sum);
        }

        long rank(Strategy strategy, RunningTask task) {
            if (strategy instanceof Strategy.Binpack binpack) {
                return available(task, binpack.resource());
            }
            Strategy.Spread spread = (Strategy.Spread) strategy;
            if (spread.perInstance()) {
                return tasksPerInstance.getOrDefault(task.instanceId(), 0);
            }
            String value = attribute(task.instanceId(), spread.attribute());
            return tasksPerInstance.entrySet().stream()
                    .filter(e -> Objects.equals(attribute(e.getKey(), spread.attribute()), value))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** The resource the instance would have available once this task is gone too. */
        private long available(RunningTask task, Strategy.Resource resource) {
            Candidate instance = instances.get(task.instanceId());
            long[] amounts = freed.getOrDefault(task.instanceId(), new long[2]);
            boolean cpu = resource == Strategy.Resource.CPU;
            long now = instance == null ? 0 : cpu ? instance.remaining().cpu() : instance.remaining().memory();
            return now + (cpu ? amounts[0] + task.demand().cpu() : amounts[1] + task.demand().memory());
        }

        private String attribute(String instanceId, String name) {
            Candidate instance = instances.get(instanceId);
            return instance == null ? null : instance.attribute(name);
        }
    }
}
