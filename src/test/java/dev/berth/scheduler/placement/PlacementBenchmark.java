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
 * The pure planner's speed, as a documented command rather than a test (timings on a shared
 * machine are not assertions). Per cluster size, 1,000 requests: services of 50 tasks each
 * (50,000 placements) with a memberOf constraint and spread over zones then binpack on memory,
 * and RunTask calls of 10 with ECS's default (random). Every request sees the copies of the
 * requests before it, through a fresh snapshot, whose building is timed with the request.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.berth.scheduler.placement.PlacementBenchmark
 * </pre>
 */
public final class PlacementBenchmark {

    private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};
    private static final String[] TYPES = {"m5.large", "m5.xlarge", "c5.2xlarge", "r5.large"};
    private static final int SERVICES = 1_000;
    private static final Demand TASK = new Demand(64, 128, Set.of(), Set.of(), List.of());
    private static final List<Constraint> CONSTRAINTS = List.of(
            Constraint.of("memberOf", "attribute:ecs.instance-type =~ m5.* or attribute:ecs.instance-type == r5.large",
                    "placementConstraints[0]"));
    private static final List<Strategy> STRATEGIES = List.of(Strategy.Spread.attribute("ecs.availability-zone"),
            new Strategy.Binpack(Strategy.Resource.MEMORY));

    private PlacementBenchmark() {
    }

    public static void main(String[] args) {
        run(500, SERVICE, false);
        System.out.printf("%-34s %-10s %14s %16s %16s %10s%n", "request", "instances", "placements/s",
                "request p50 ms", "request p99 ms", "unplaced");
        for (Workload workload : List.of(SERVICE, RUN_TASK)) {
            for (int instances : new int[] {500, 1_000, 2_000, 5_000}) {
                run(instances, workload, true);
            }
        }
    }

    /** What each of the 1,000 requests asks. */
    private record Workload(String name, int copies, List<Constraint> constraints, List<Strategy> strategies) {
    }

    private static final Workload SERVICE = new Workload("service: memberOf, spread+binpack", 50, CONSTRAINTS,
            STRATEGIES);
    private static final Workload RUN_TASK = new Workload("RunTask: count 10, ECS default", 10, List.of(),
            Strategy.RUN_TASK_DEFAULT);

    private static void run(int size, Workload workload, boolean print) {
        Random random = new Random(size);
        List<Candidate> candidates = cluster(size, random);
        Planner planner = new Planner(new Random(1));
        long[] requestNanos = new long[SERVICES];
        int unplaced = 0;
        long start = System.nanoTime();
        for (int s = 0; s < SERVICES; s++) {
            long begin = System.nanoTime();
            ClusterSnapshot snapshot = ClusterSnapshot.of(candidates);
            String group = "service:s" + s;
            PlacementResult result = planner.place(snapshot, new PlacementRequest("default", TASK, workload.copies(),
                    group, workload.constraints(), workload.strategies()));
            requestNanos[s] = System.nanoTime() - begin;
            unplaced += result.unplaced();
            apply(candidates, result.placements(), group);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(requestNanos);
        if (print) {
            System.out.printf("%-34s %-10d %,14.0f %16.3f %16.3f %10d%n", workload.name(), size,
                    (SERVICES * workload.copies() - unplaced) / seconds, requestNanos[SERVICES / 2] / 1e6,
                    requestNanos[SERVICES * 99 / 100] / 1e6, unplaced);
        }
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
