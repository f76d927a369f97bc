package dev.berth.scheduler.services;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Arns;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.Resources;
import dev.berth.model.StopCode;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.scheduler.AppliedWriter;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Services;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The service scheduler's promises, whatever the agents do: random clusters, deployment
 * bounds, desired counts, rollouts, instances coming and going, and agents that start,
 * crash or stop tasks in any order. After every pass:
 * <ul>
 *   <li>a pass that started tasks left at most {@code maximumPercent} of the desired count;</li>
 *   <li>a pass that stopped healthy tasks to replace them left at least
 *       {@code minimumHealthyPercent} healthy;</li>
 *   <li>no host holds more than its memory;</li>
 *   <li>a DAEMON service has at most one task wanted on each instance.</li>
 * </ul>
 * Each run tries {@link #TRIES} sequences from a fixed seed, so a failure repeats; it names
 * the trial.
 */
class ServiceInvariantsPropertyTest {

    private static final int TRIES = 150;
    private static final int STEPS = 40;
    private static final long SEED = 20261130L;
    private static final int MEMORY = 1024;

    @Test
    void theServiceSchedulerKeepsItsBoundsWhateverTheAgentsDo() {
        Random random = new Random(SEED);
        for (int trial = 0; trial < TRIES; trial++) {
            new Trial(random, "trial " + trial + " (seed " + SEED + ")").run();
        }
    }

    private static final class Trial {
        private final Random random;
        private final String name;
        private final SettableClock clock = new SettableClock(T0);
        private final SchedulerState state = new SchedulerState(clock, Duration.ofDays(365), Duration.ofHours(1),
                Duration.ofDays(365));
        private final ControlPlane plane = new ControlPlane(state, new AppliedWriter(state),
                new Arns("aws", "us-east-1", "000000000000"));
        private final boolean daemon;
        private final int maximumPercent;
        private final int minimumPercent;
        private int instances;
        private int revisions;

        Trial(Random random, String name) {
            this.random = random;
            this.name = name;
            this.daemon = random.nextInt(4) == 0;
            this.maximumPercent = 100 + random.nextInt(101);
            this.minimumPercent = random.nextInt(101);
        }

        void run() {
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                addInstance();
            }
            register();
            plane.services().create(new Services.ServiceSpec(null, "svc", "web", daemon ? null : random.nextInt(7),
                    daemon ? ServiceRecord.DAEMON : null,
                    new ServiceRecord.DeploymentConfiguration(maximumPercent, minimumPercent, null), List.of(),
                    List.of()), null);
            for (int step = 0; step < STEPS; step++) {
                act(step);
            }
        }

        private void act(int step) {
            int choice = random.nextInt(10);
            if (choice < 4) {
                reconcileAndCheck(step);
            } else if (choice < 7) {
                agentsAct();
            } else if (choice == 7) {
                register();
                plane.services().update(new Services.ServiceUpdate(null, "svc", "web:" + revisions, null, null,
                        false));
            } else if (choice == 8 && !daemon) {
                plane.services().update(new Services.ServiceUpdate(null, "svc", null, random.nextInt(7), null, false));
            } else {
                if (random.nextBoolean()) {
                    addInstance();
                } else if (instances > 1) {
                    String id = "i-" + (1 + random.nextInt(instances));
                    state.apply(new InstanceControl(BerthRecord.SCHEMA_VERSION, 1, id, "default",
                            InstanceControl.DEREGISTERED, clock.instant()));
                }
                clock.advance(Duration.ofSeconds(random.nextInt(30)));
            }
        }

        private void reconcileAndCheck(int step) {
            String at = name + ", step " + step;
            ServiceRecord service = state.service("default", "svc").orElseThrow();
            List<TaskView> before = tasks();
            Set<String> healthyBefore = new java.util.HashSet<>();
            before.stream().filter(ServiceTasks::isHealthy).filter(t -> t.desiredStatus() == TaskStatus.RUNNING)
                    .forEach(t -> healthyBefore.add(t.taskId()));
            plane.serviceScheduler().reconcile();
            List<TaskView> after = tasks();
            int desired = service.desiredCount();
            boolean started = after.size() > before.size();
            long unstopped = after.stream().filter(t -> !t.isStopped()).count();
            if (started && !daemon) {
                assertThat(unstopped).as(at + ": tasks after starting, at most " + maximumPercent + "% of "
                        + desired).isLessThanOrEqualTo(Math.max(1, desired * maximumPercent / 100));
            }
            long replacedHealthy = after.stream().filter(t -> healthyBefore.contains(t.taskId()))
                    .filter(t -> t.desiredStatus() == TaskStatus.STOPPED)
                    .filter(t -> ServiceReconciler.REPLACED.equals(t.stoppedReason())).count();
            long healthyAfter = after.stream().filter(t -> healthyBefore.contains(t.taskId()))
                    .filter(t -> t.desiredStatus() == TaskStatus.RUNNING).count();
            if (replacedHealthy > 0 && !daemon) {
                int minimum = (int) Math.ceil(desired * minimumPercent / 100.0);
                assertThat(healthyAfter).as(at + ": healthy after replacing " + replacedHealthy).isGreaterThanOrEqualTo(
                        Math.min(minimum, desired));
            }
            Map<String, Integer> memory = new HashMap<>();
            Map<String, Integer> wanted = new HashMap<>();
            for (TaskView task : after) {
                if (!task.isStopped()) {
                    memory.merge(task.instanceId(), task.demand().memory(), Integer::sum);
                }
                if (!task.isStopped() && task.desiredStatus() == TaskStatus.RUNNING) {
                    wanted.merge(task.instanceId(), 1, Integer::sum);
                }
            }
            memory.forEach((id, used) -> assertThat(used).as(at + ": memory on " + id).isLessThanOrEqualTo(MEMORY));
            if (daemon) {
                wanted.forEach((id, n) -> assertThat(n).as(at + ": daemon tasks wanted on " + id).isLessThanOrEqualTo(1));
            }
        }

        /** Each task the agents hold moves on, or not, at random: start, crash, fail to start, stop. */
        private void agentsAct() {
            for (TaskView task : tasks()) {
                if (task.isStopped() || random.nextInt(3) == 0) {
                    continue;
                }
                long version = task.version() + 1;
                if (task.desiredStatus() == TaskStatus.STOPPED) {
                    state.apply(report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, version));
                } else if (task.lastStatus() == TaskStatus.PENDING) {
                    boolean fails = random.nextInt(5) == 0;
                    state.apply(fails ? failed(task, version) : report(task.taskId(), task.instanceId(),
                            TaskStatus.RUNNING, version));
                } else if (random.nextInt(6) == 0) {
                    state.apply(failed(task, version));
                }
            }
        }

        private static TaskStateChange failed(TaskView task, long version) {
            TaskStateChange r = report(task.taskId(), task.instanceId(), TaskStatus.STOPPED, version);
            return new TaskStateChange(r.schemaVersion(), r.version(), r.taskId(), r.cluster(), r.instanceId(),
                    r.lastStatus(), r.containers(), StopCode.EssentialContainerExited.name(),
                    "Essential container in task exited", null, null, null, null, r.stoppedAt(), r.reportedAt());
        }

        private List<TaskView> tasks() {
            return new ArrayList<>(state.allTasks());
        }

        private void addInstance() {
            instances++;
            String id = "i-" + instances;
            state.apply(new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, id, "default", id + ".local", "0.1.0",
                    new Resources(4096, MEMORY, Set.of()), Map.of(), T0, clock.instant(), false, null, null, null));
        }

        private void register() {
            revisions++;
            plane.taskDefinitions().register(new TaskDefinition(null, "web", null, List.of(new ContainerDefinition(
                    "web", "busybox", 128, 128 + random.nextInt(3) * 64, null, null, null, null, null, null, null,
                    null, null, null, null)), null, null, null, null, null, null, null, null, null, null, null));
        }
    }
}
