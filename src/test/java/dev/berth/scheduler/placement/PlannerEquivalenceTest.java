package dev.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import dev.berth.scheduler.placement.query.QueryTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner against a reference written the slow, obvious way: for every copy, check every
 * instance from scratch, rank them all, pick the best. Thousands of seeded random clusters and
 * requests; both must place the same copies on the same instances and report the same reasons.
 */
class PlannerEquivalenceTest {

    private static final String CLUSTER = "default";
    private static final String GROUP = "service:web";
    private static final String[] ZONES = {"us-east-1a", "us-east-1b", "us-east-1c"};
    private static final String[] EXPRESSIONS = {
        "attribute:ecs.availability-zone != us-east-1c",
        "runningTasksCount < 4",
        "not(task:group == database)",
        "task:group == service:web or runningTasksCount == 0",
        "attribute:type =~ m5.* and agentVersion >= 1.5",
        "attribute:gpu exists",
    };

    @Test
    void placesExactlyAsTheReferenceDoes() {
        Random cases = new Random(20261130);
        for (int i = 0; i < 3_000; i++) {
            // Given
            ClusterSnapshot snapshot = snapshot(cases);
            PlacementRequest request = request(cases);
            long seed = cases.nextLong();

            // When
            PlacementResult fast = new Planner(new Random(seed)).place(snapshot, request);
            PlacementResult slow = new Reference(snapshot, request, new Random(seed)).place();

            // Then
            String why = "case " + i + ": " + request;
            assertThat(fast.placements()).as(why).isEqualTo(slow.placements());
            assertThat(fast.unplaced()).as(why).isEqualTo(slow.unplaced());
            assertThat(fast.rejections()).as(why).isEqualTo(slow.rejections());
        }
    }

    private static ClusterSnapshot snapshot(Random random) {
        List<Candidate> candidates = new ArrayList<>();
        int size = 1 + random.nextInt(30);
        for (int i = 0; i < size; i++) {
            Map<String, String> attributes = new HashMap<>();
            if (random.nextInt(5) > 0) {
                attributes.put("ecs.availability-zone", ZONES[random.nextInt(ZONES.length)]);
            }
            attributes.put("type", random.nextBoolean() ? "m5.large" : "t3.small");
            if (random.nextInt(4) == 0) {
                attributes.put("gpu", "1");
            }
            Map<String, Integer> groups = new HashMap<>();
            if (random.nextInt(3) == 0) {
                groups.put(GROUP, 1 + random.nextInt(2));
            }
            if (random.nextInt(4) == 0) {
                groups.put("database", 1);
            }
            int running = groups.values().stream().mapToInt(Integer::intValue).sum() + random.nextInt(3);
            Resources remaining = new Resources(random.nextInt(5) * 256, random.nextInt(9) * 256,
                    random.nextInt(4) == 0 ? Set.of(8080) : Set.of());
            candidates.add(new Candidate("i-" + (char) ('a' + random.nextInt(26)) + i, random.nextInt(20) == 0
                    ? "other" : CLUSTER, random.nextInt(10) > 0, remaining,
                    random.nextInt(4) == 0 ? Set.of(53) : Set.of(), attributes, "host-" + i,
                    "1." + random.nextInt(10) + ".0", Instant.ofEpochSecond(1_500_000_000L + i), running, groups));
        }
        return ClusterSnapshot.of(candidates);
    }

    private static PlacementRequest request(Random random) {
        Demand demand = new Demand(random.nextInt(3) * 128, random.nextInt(4) * 256,
                random.nextInt(5) == 0 ? Set.of(8080) : Set.of(), random.nextInt(5) == 0 ? Set.of(53) : Set.of(),
                random.nextInt(6) == 0 ? List.of(new RequiredAttribute("type", "m5.large")) : List.of());
        List<Constraint> constraints = new ArrayList<>();
        if (random.nextInt(4) == 0) {
            constraints.add(new Constraint.DistinctInstance());
        }
        for (int c = random.nextInt(3); c > 0; c--) {
            String expression = EXPRESSIONS[random.nextInt(EXPRESSIONS.length)];
            constraints.add(Constraint.of("memberOf", expression, "placementConstraints"));
        }
        List<Strategy> strategies = new ArrayList<>();
        for (int s = random.nextInt(4); s > 0; s--) {
            strategies.add(switch (random.nextInt(6)) {
                case 0 -> new Strategy.Binpack(Strategy.Resource.MEMORY);
                case 1 -> new Strategy.Binpack(Strategy.Resource.CPU);
                case 2 -> Strategy.Spread.INSTANCE;
                case 3 -> Strategy.Spread.attribute("ecs.availability-zone");
                case 4 -> Strategy.Spread.attribute("type");
                default -> new Strategy.Random();
            });
        }
        return new PlacementRequest(CLUSTER, demand, random.nextInt(12), GROUP, constraints, strategies);
    }

    /** The obvious planner: state kept per instance, everything recomputed for every copy. */
    private static final class Reference {

        private final List<Candidate> candidates;
        private final PlacementRequest request;
        private final Random random;
        private final Map<String, Integer> placed = new HashMap<>();
        private final Map<String, Set<Integer>> tcp = new HashMap<>();
        private final Map<String, Set<Integer>> udp = new HashMap<>();

        Reference(ClusterSnapshot snapshot, PlacementRequest request, Random random) {
            this.candidates = snapshot.candidates();
            this.request = request;
            this.random = random;
            for (Candidate c : candidates) {
                tcp.put(c.instanceId(), new HashSet<>(c.remaining().ports()));
                udp.put(c.instanceId(), new HashSet<>(c.udpPortsTaken()));
            }
        }

        PlacementResult place() {
            List<String> placements = new ArrayList<>();
            for (int copy = 0; copy < request.count(); copy++) {
                List<Candidate> fitting = candidates.stream().filter(c -> failures(c).isEmpty()).toList();
                if (fitting.isEmpty()) {
                    List<Rejection> rejections = candidates.stream()
                            .map(c -> new Rejection(c.instanceId(), failures(c))).toList();
                    return new PlacementResult(placements, request.count() - copy, rejections);
                }
                Candidate chosen = choose(fitting);
                placed.merge(chosen.instanceId(), 1, Integer::sum);
                tcp.get(chosen.instanceId()).addAll(request.demand().tcpPorts());
                udp.get(chosen.instanceId()).addAll(request.demand().udpPorts());
                placements.add(chosen.instanceId());
            }
            return new PlacementResult(placements, 0, List.of());
        }

        private Candidate choose(List<Candidate> fitting) {
            List<Strategy> ranking = new ArrayList<>();
            boolean random = false;
            for (Strategy s : request.strategies()) {
                if (s instanceof Strategy.Random) {
                    random = true;
                    break;
                }
                ranking.add(s);
            }
            Comparator<Candidate> order = (a, b) -> {
                for (Strategy s : ranking) {
                    int o = Long.compare(rank(s, a), rank(s, b));
                    if (o != 0) {
                        return o;
                    }
                }
                return 0;
            };
            Candidate best = fitting.stream().min(order).orElseThrow();
            if (!random) {
                return best;
            }
            List<Candidate> ties = fitting.stream().filter(c -> order.compare(c, best) == 0).toList();
            return ties.get(random(ties.size()));
        }

        private int random(int bound) {
            return random.nextInt(bound);
        }

        private long rank(Strategy strategy, Candidate c) {
            if (strategy instanceof Strategy.Binpack b) {
                return b.resource() == Strategy.Resource.CPU ? cpuLeft(c) : memoryLeft(c);
            }
            Strategy.Spread spread = (Strategy.Spread) strategy;
            if (spread.perInstance()) {
                return groupTasks(c);
            }
            String value = c.attribute(spread.attribute());
            return candidates.stream().filter(o -> java.util.Objects.equals(o.attribute(spread.attribute()), value))
                    .mapToLong(this::groupTasks).sum();
        }

        private int copies(Candidate c) {
            return placed.getOrDefault(c.instanceId(), 0);
        }

        private long cpuLeft(Candidate c) {
            return c.remaining().cpu() - (long) copies(c) * request.demand().cpu();
        }

        private long memoryLeft(Candidate c) {
            return c.remaining().memory() - (long) copies(c) * request.demand().memory();
        }

        private int groupTasks(Candidate c) {
            return c.tasksOf(request.group()) + copies(c);
        }

        private List<FeasibilityCheck> failures(Candidate c) {
            if (!c.cluster().equals(request.cluster())) {
                return List.of(FeasibilityCheck.CLUSTER);
            }
            List<FeasibilityCheck> failed = new ArrayList<>();
            Demand demand = request.demand();
            check(failed, !c.agentConnected(), FeasibilityCheck.AGENT);
            check(failed, demand.cpu() > cpuLeft(c), FeasibilityCheck.CPU);
            check(failed, demand.memory() > memoryLeft(c), FeasibilityCheck.MEMORY);
            check(failed, demand.tcpPorts().stream().anyMatch(tcp.get(c.instanceId())::contains)
                    || demand.udpPorts().stream().anyMatch(udp.get(c.instanceId())::contains), FeasibilityCheck.PORTS);
            check(failed, demand.requiredAttributes().stream()
                    .anyMatch(r -> !java.util.Objects.equals(c.attribute(r.name()), r.value())), FeasibilityCheck.ATTRIBUTE);
            QueryTarget now = withCopies(c);
            for (Constraint constraint : request.constraints()) {
                if (constraint instanceof Constraint.DistinctInstance) {
                    check(failed, groupTasks(c) > 0, FeasibilityCheck.DISTINCT_INSTANCE);
                } else if (!((Constraint.MemberOf) constraint).query().test(now)) {
                    check(failed, true, FeasibilityCheck.MEMBER_OF);
                }
            }
            return failed;
        }

        private static void check(List<FeasibilityCheck> failed, boolean fails, FeasibilityCheck check) {
            if (fails && !failed.contains(check)) {
                failed.add(check);
            }
        }

        /** The instance with this call's copies counted as tasks of the group. */
        private QueryTarget withCopies(Candidate c) {
            Map<String, Integer> groups = new HashMap<>(c.taskGroups());
            if (copies(c) > 0) {
                groups.merge(request.group(), copies(c), Integer::sum);
            }
            return c.withTasks(c.runningTasksCount() + copies(c), groups);
        }
    }
}
