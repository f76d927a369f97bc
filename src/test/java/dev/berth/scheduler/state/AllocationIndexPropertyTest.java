package dev.berth.scheduler.state;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Topic;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scheduler keeps what each instance's tasks take incrementally, as records arrive in
 * any order, repeat, go stale or are tombstoned. Whatever the sequence, the index must equal
 * a recomputation from scratch over every task held. Each run tries {@link #TRIES} random
 * sequences from a fixed seed (so a failure repeats), and a failure names the seed and the
 * sequence.
 */
class AllocationIndexPropertyTest {

    private static final List<String> INSTANCES = List.of("i-1", "i-2", "i-3");
    private static final List<String> GROUPS = List.of("family:web", "service:api");
    private static final int CAPACITY = 100_000;
    private static final int TRIES = 500;
    private static final long SEED = 20261130L;

    /** One record arriving at the scheduler. */
    sealed interface Step {
        record Place(int task, int instance, int memory, Integer port, long version, int group) implements Step {
        }

        record Report(int task, int instance, TaskStatus status, long version) implements Step {
        }

        record Stop(int task, long version) implements Step {
        }

        record Forget(int task) implements Step {
        }

        record DropReports(int task) implements Step {
        }
    }

    @Test
    void incrementalAllocationsEqualARecomputation() {
        Random random = new Random(SEED);
        for (int trial = 0; trial < TRIES; trial++) {
            List<Step> steps = steps(random);
            boolean sameHost = random.nextBoolean();
            checkOne(steps, sameHost, "trial " + trial + " (seed " + SEED + "), sameHost=" + sameHost + ": " + steps);
        }
    }

    private void checkOne(List<Step> steps, boolean sameHost, String description) {
        // Given: three instances, on one host or three
        SettableClock clock = new SettableClock(T0);
        SchedulerState state = new SchedulerState(clock, Duration.ofSeconds(60), Duration.ofHours(1));
        for (String id : INSTANCES) {
            state.apply(new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, id, "default",
                    sameHost ? "one-host" : id + ".local", "0.1.0", new Resources(4096, CAPACITY, Set.of(22)),
                    Map.of(), T0, T0, false, null, null, null));
        }

        // When: the records arrive
        Map<Integer, DesiredTask> placed = new HashMap<>();
        for (Step step : steps) {
            apply(state, placed, step);
        }

        // Then: every instance shows what a recomputation over all tasks gives, to the API
        // and to placement alike
        Map<String, Resources> placementSees = new HashMap<>();
        state.candidates("default").forEach(c -> placementSees.put(c.instanceId(), c.remaining()));
        for (String id : INSTANCES) {
            InstanceView view = state.instance(id).orElseThrow();
            assertThat(view.remaining()).as(id + " in " + description).isEqualTo(recompute(state, id, sameHost));
            assertThat(placementSees.get(id)).as(id + " for placement in " + description)
                    .isEqualTo(view.remaining());
            assertThat(view.runningTasksCount()).as(id + " running in " + description)
                    .isEqualTo(count(state, id, true));
            assertThat(view.pendingTasksCount()).as(id + " pending in " + description)
                    .isEqualTo(count(state, id, false));
        }
        assertThat(state.tasks("default")).hasSizeLessThanOrEqualTo(state.allTasks().size());

        // and the task index and the group counts equal a recomputation too
        Map<String, Map<String, Integer>> groupsSeen = new HashMap<>();
        state.candidates("default").forEach(c -> groupsSeen.put(c.instanceId(), c.taskGroups()));
        for (String id : INSTANCES) {
            assertThat(ids(state.tasksOnInstance(id))).as(id + "'s tasks in " + description)
                    .isEqualTo(ids(state.allTasks().stream().filter(t -> id.equals(t.instanceId())).toList()));
            Map<String, Integer> groups = new HashMap<>();
            for (TaskView task : state.allTasks()) {
                if (id.equals(task.instanceId()) && task.desiredStatus() != TaskStatus.STOPPED) {
                    groups.merge(task.desired().group(), 1, Integer::sum);
                }
            }
            assertThat(groupsSeen.get(id)).as(id + "'s task groups in " + description).isEqualTo(groups);
        }
        for (String group : GROUPS) {
            assertThat(ids(state.groupTasks("default", group))).as(group + " in " + description).isEqualTo(
                    ids(state.allTasks().stream().filter(t -> group.equals(t.desired().group())).toList()));
        }
    }

    /** The same desired record in a task group. */
    private static DesiredTask inGroup(DesiredTask t, String group) {
        return new DesiredTask(t.schemaVersion(), t.version(), t.taskId(), t.taskArn(), t.cluster(), t.instanceId(),
                t.taskDefinition(), t.overrides(), t.desiredStatus(), t.startedBy(), group, t.createdAt(), t.stopCode(),
                t.stoppedReason(), t.tags(), t.protectedUntil());
    }

    private static Set<String> ids(List<TaskView> tasks) {
        Set<String> ids = new TreeSet<>();
        tasks.forEach(t -> ids.add(t.taskId()));
        return ids;
    }

    private static void apply(SchedulerState state, Map<Integer, DesiredTask> placed, Step step) {
        if (step instanceof Step.Place p) {
            DesiredTask task = inGroup(desired("t" + p.task(), INSTANCES.get(p.instance()),
                    definition("web", 1, p.memory(), p.port()), p.version()), GROUPS.get(p.group()));
            placed.putIfAbsent(p.task(), task);
            state.apply(task);
        } else if (step instanceof Step.Report r) {
            state.apply(report("t" + r.task(), INSTANCES.get(r.instance()), r.status(), r.version()));
        } else if (step instanceof Step.Stop s && placed.containsKey(s.task())) {
            state.apply(placed.get(s.task()).stop(s.version(), "UserInitiated", "test"));
        } else if (step instanceof Step.Forget f && placed.containsKey(f.task())) {
            state.forget(placed.remove(f.task()));
            state.remove(Topic.TASKS, "t" + f.task());
        } else if (step instanceof Step.DropReports d) {
            state.remove(Topic.TASK_EVENTS, "t" + d.task());
        }
    }

    private static Resources recompute(SchedulerState state, String instanceId, boolean sameHost) {
        int cpu = 4096;
        int memory = CAPACITY;
        Set<Integer> ports = new TreeSet<>(Set.of(22));
        for (TaskView task : state.allTasks()) {
            boolean shares = sameHost || task.instanceId().equals(instanceId);
            if (shares && !task.isStopped()) {
                Resources demand = task.demand();
                cpu -= demand.cpu();
                memory -= demand.memory();
                ports.addAll(demand.ports());
            }
        }
        return new Resources(cpu, memory, ports);
    }

    private static int count(SchedulerState state, String instanceId, boolean running) {
        return (int) state.allTasks().stream().filter(t -> t.instanceId().equals(instanceId))
                .filter(t -> running ? t.isRunning() : t.isPending()).count();
    }

    private static List<Step> steps(Random random) {
        List<Step> steps = new ArrayList<>();
        int length = random.nextInt(41);
        Integer[] ports = {8080, 8081, 9090, null, null, null};
        TaskStatus[] statuses = {TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.STOPPED};
        for (int i = 0; i < length; i++) {
            int task = random.nextInt(8);
            int instance = random.nextInt(INSTANCES.size());
            long version = 1 + random.nextInt(6);
            int kind = random.nextInt(12);
            if (kind < 4) {
                steps.add(new Step.Place(task, instance, 1 + random.nextInt(512), ports[random.nextInt(ports.length)],
                        version, random.nextInt(GROUPS.size())));
            } else if (kind < 8) {
                steps.add(new Step.Report(task, instance, statuses[random.nextInt(statuses.length)], version));
            } else if (kind < 10) {
                steps.add(new Step.Stop(task, version));
            } else if (kind < 11) {
                steps.add(new Step.Forget(task));
            } else {
                steps.add(new Step.DropReports(task));
            }
        }
        return steps;
    }
}
