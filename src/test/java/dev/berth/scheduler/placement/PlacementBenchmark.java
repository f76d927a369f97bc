package dev.berth.scheduler.placement;

import dev.berth.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The pure planner's speed (issue 7, item 8), as a documented command rather than a test
 * (timings on a shared machine are not assertions):
 * {@code mvn -B -DskipTests package exec:exec@bench-placement} (README, Benchmarks).
 *
 * <p>Per cluster size (500 to 5,000 heterogeneous instances), 1,000 requests: services of 50
 * tasks each (50,000 placements) with a memberOf constraint and spread over zones then binpack on
 * memory, and RunTask calls of 10 with ECS's default (random). Every request sees the copies of
 * the requests before it, through a fresh snapshot, whose building is timed with the request. A
 * decision is one copy placed: its time is its request's time (snapshot and placement) divided
 * by the copies that request placed, so a decision's p99 is that of the per-request means. The
 * baseline, on the same instances in the same run, is {@link ResourceCheckLoop}.
 */
public final class PlacementBenchmark {

    private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};
    private static final String[] TYPES = {"m5.large", "m5.xlarge", "c5.2xlarge", "r5.large"};
    private static final int SERVICES = 1_000;
    private static final int[] SIZES = {500, 1_000, 2_000, 5_000};
    /** Issue 7: 10x Nomad C1M's cluster-wide 3,750 placements/s, on one thread. */
    private static final double THROUGHPUT_TARGET = 37_500;
    private static final double DECISION_P99_TARGET_MS = 1;
    private static final Demand TASK = new Demand(64, 128, Set.of(), Set.of(), List.of());
    private static final List<Constraint> CONSTRAINTS = List.of(
            Constraint.of("memberOf", "attribute:ecs.instance-type =~ m5.* or attribute:ecs.instance-type == r5.large",
                    "placementConstraints[0]"));
    private static final List<Strategy> STRATEGIES = List.of(Strategy.Spread.attribute("ecs.availability-zone"),
            new Strategy.Binpack(Strategy.Resource.MEMORY));

    private PlacementBenchmark() {
    }

    /** One workload at one cluster size: the planner's figures and the baseline's rate. */
    private record Run(Workload workload, int instances, double perSecond, double decisionP50Ms,
            double decisionP99Ms, double requestP99Ms, double baselinePerSecond, int unplaced) {
    }

    public static void main(String[] args) {
        for (Workload workload : List.of(SERVICE, RUN_TASK)) {
            run(1_000, workload);
        }
        List<Run> runs = new ArrayList<>();
        for (Workload workload : List.of(SERVICE, RUN_TASK)) {
            for (int instances : SIZES) {
                runs.add(run(instances, workload));
            }
        }
        print(runs);
    }

    private static void print(List<Run> runs) {
        System.out.printf("%nMeasured on %d cores, Java %s, one thread, %s%n%n", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("java.version"), Instant.now());
        System.out.println("| workload | instances | placements/s | vs 500 instances | decision p50 / p99 "
                + "| request p99 | baseline: resource-check loop | planner / baseline | unplaced |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Run r : runs) {
            Run first = runs.stream().filter(o -> o.workload() == r.workload()).findFirst().orElseThrow();
            System.out.printf("| %s | %,d | %,.0f /s | %.2f× | %.3f / %.3f ms | %.2f ms | %,.0f /s | %.3f× | %,d |%n",
                    r.workload().name(), r.instances(), r.perSecond(), r.perSecond() / first.perSecond(),
                    r.decisionP50Ms(), r.decisionP99Ms(), r.requestP99Ms(), r.baselinePerSecond(),
                    r.perSecond() / r.baselinePerSecond(), r.unplaced());
        }
        Run target = runs.stream().filter(r -> r.workload() == SERVICE && r.instances() == 5_000).findFirst()
                .orElseThrow();
        System.out.printf("%nTargets (service workload, 5,000 instances): %,.0f placements/s (target ≥ %,.0f: %s); "
                + "decision p99 %.3f ms (target ≤ %.0f ms: %s)%n", target.perSecond(), THROUGHPUT_TARGET,
                target.perSecond() >= THROUGHPUT_TARGET ? "met" : "MISSED", target.decisionP99Ms(),
                DECISION_P99_TARGET_MS, target.decisionP99Ms() <= DECISION_P99_TARGET_MS ? "met" : "MISSED");
    }

    /** What each of the 1,000 requests asks. */
    private record Workload(String name, int copies, List<Constraint> constraints, List<Strategy> strategies) {
    }

    private static final Workload SERVICE = new Workload("service of 50: memberOf, spread(zone) then "
            + "binpack(memory)", 50, CONSTRAINTS, STRATEGIES);
    private static final Workload RUN_TASK = new Workload("RunTask of 10: ECS default (random)", 10, List.of(),
            Strategy.RUN_TASK_DEFAULT);

    private static Run run(int size, Workload workload) {
        List<Candidate> candidates = cluster(size, new Random(size));
        double baseline = baseline(List.copyOf(candidates), workload);
        Planner planner = new Planner(new Random(1));
        long[] requestNanos = new long[SERVICES];
        double[] decisionNanos = new double[SERVICES];
        int unplaced = 0;
        long timed = 0;
        for (int s = 0; s < SERVICES; s++) {
            long begin = System.nanoTime();
            ClusterSnapshot snapshot = ClusterSnapshot.of(candidates);
            String group = "service:s" + s;
            PlacementResult result = planner.place(snapshot, new PlacementRequest("default", TASK, workload.copies(),
                    group, workload.constraints(), workload.strategies()));
            requestNanos[s] = System.nanoTime() - begin;
            timed += requestNanos[s];
            int placed = result.placements().size();
            decisionNanos[s] = placed == 0 ? Double.NaN : (double) requestNanos[s] / placed;
            unplaced += result.unplaced();
            apply(candidates, result.placements(), group);
        }
        Arrays.sort(requestNanos);
        double[] decisions = Arrays.stream(decisionNanos).filter(d -> !Double.isNaN(d)).sorted().toArray();
        return new Run(workload, size, (SERVICES * workload.copies() - unplaced) / (timed / 1e9),
                decisions[decisions.length / 2] / 1e6, decisions[(int) Math.ceil(decisions.length * 0.99) - 1] / 1e6,
                requestNanos[(int) Math.ceil(SERVICES * 0.99) - 1] / 1e6, baseline, unplaced);
    }

    /** The resource-check loop's placements per second over the same copies on the same instances. */
    private static double baseline(List<Candidate> candidates, Workload workload) {
        ResourceCheckLoop loop = new ResourceCheckLoop(candidates);
        int placed = 0;
        long begin = System.nanoTime();
        for (int copy = 0; copy < SERVICES * workload.copies(); copy++) {
            placed += loop.place(TASK.cpu(), TASK.memory()) ? 1 : 0;
        }
        return placed / ((System.nanoTime() - begin) / 1e9);
    }

    /** What the state would hold after the placements: each instance less its new tasks. */
    private static void apply(List<Candidate> candidates, List<String> placements, String group) {
        Map<String, Integer> copies = new HashMap<>();
        placements.forEach(id -> copies.merge(id, 1, Integer::sum));
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            Integer n = copies.get(c.instanceId());
            if (n != null) {
                Map<String, Integer> groups = new HashMap<>(c.taskGroups());
                groups.merge(group, n, Integer::sum);
                candidates.set(i, new Candidate(c.instanceId(), c.cluster(), true,
                        new Resources(c.remaining().cpu() - n * TASK.cpu(), c.remaining().memory() - n * TASK.memory(),
                                Set.of()), Set.of(), c.attributes(), c.ec2InstanceId(), c.agentVersion(),
                        c.registeredAt(), c.runningTasksCount() + n, groups));
            }
        }
    }

    private static List<Candidate> cluster(int size, Random random) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, String> attributes = Map.of("ecs.availability-zone", ZONES[i % ZONES.length],
                    "ecs.instance-type", TYPES[random.nextInt(TYPES.length)]);
            candidates.add(new Candidate(String.format("i-%06d", i), "default", random.nextInt(50) > 0,
                    new Resources(2_048 * (1 + random.nextInt(8)), 4_096 * (1 + random.nextInt(16)), Set.of()),
                    Set.of(), attributes, "host-" + i, "1.80.0", Instant.EPOCH, 0, Map.of()));
        }
        return candidates;
    }
}
