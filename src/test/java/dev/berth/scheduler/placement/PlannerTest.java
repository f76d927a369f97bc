package dev.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.berth.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final String CLUSTER = "default";
    private static final String WEB = "service:web";
    private static final Demand SMALL = new Demand(128, 256, Set.of(), Set.of(), List.of());

    private final Planner planner = new Planner(new Random(1));

    private static Candidate host(String id, String zone, int cpu, int memory) {
        return new Candidate(id, CLUSTER, true, new Resources(cpu, memory, Set.of()), Set.of(),
                zone == null ? Map.of() : Map.of("ecs.availability-zone", zone), "host-" + id, "1.0.0",
                Instant.EPOCH, 0, Map.of());
    }

    private static PlacementRequest request(Demand demand, int count, List<Constraint> constraints,
            Strategy... strategies) {
        return new PlacementRequest(CLUSTER, demand, count, WEB, constraints, List.of(strategies));
    }

    private static Constraint memberOf(String expression) {
        return Constraint.of("memberOf", expression, "placementConstraints[0]");
    }

    @Test
    void aRunContinuedCallByCallPlacesAsOneRequestForAllTheCopiesWould() {
        // Given: six hosts over three zones with room for 12 copies in all, spread then binpack
        List<Candidate> hosts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            hosts.add(host("i-" + i, "zone-" + (i % 3), 4096, 256 * (1 + i % 3)));
        }
        PlacementRequest shape = request(SMALL, 0, List.of(),
                new Strategy.Spread("attribute:ecs.availability-zone"), new Strategy.Binpack(Strategy.Resource.MEMORY));
        PlacementRequest all = request(SMALL, 16, List.of(),
                new Strategy.Spread("attribute:ecs.availability-zone"), new Strategy.Binpack(Strategy.Resource.MEMORY));

        // When: the same copies asked for by calls of 3, 1, 4, 5 and 3, on one run
        PlacementRun run = new Planner(new Random(7)).open(ClusterSnapshot.of(hosts), shape);
        List<String> byCalls = new ArrayList<>();
        List<PlacementResult> results = new ArrayList<>();
        for (int copies : new int[] {3, 1, 4, 5, 3}) {
            PlacementResult result = run.place(copies);
            results.add(result);
            byCalls.addAll(result.placements());
        }
        PlacementResult once = new Planner(new Random(7)).place(ClusterSnapshot.of(hosts), all);

        // Then: the same instances in the same order, and the same refusal once the hosts are full
        assertThat(byCalls).hasSize(12).isEqualTo(once.placements());
        assertThat(results.get(3).unplaced()).isEqualTo(1);
        assertThat(results.get(4).placements()).isEmpty();
        assertThat(results.get(4).unplaced()).isEqualTo(3);
        assertThat(results.get(4).rejections()).isEqualTo(once.rejections());
    }

    @Test
    void recordsEveryReasonEachInstanceRefusedFor() {
        // Given: one instance short of CPU and memory, disconnected and with no zone (which != refuses too);
        // one that fails the expression and a port
        Candidate tired = new Candidate("i-1", CLUSTER, false, new Resources(64, 64, Set.of()));
        Candidate busy = host("i-2", "us-east-1c", 4096, 4096).withUdpPortsTaken(Set.of(53));
        Demand demand = new Demand(128, 256, Set.of(), Set.of(53), List.of(new RequiredAttribute("gpu", null)));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(List.of(busy, tired)),
                request(demand, 1, List.of(memberOf("attribute:ecs.availability-zone != us-east-1c"))));

        // Then
        assertThat(result.unplaced()).isEqualTo(1);
        assertThat(result.rejections()).extracting(Rejection::instanceId, Rejection::reasons).containsExactly(
                tuple("i-1", List.of("AGENT", "RESOURCE:CPU", "RESOURCE:MEMORY", "ATTRIBUTE",
                        "MemberOf placement constraint unsatisfied.")),
                tuple("i-2", List.of("RESOURCE:PORTS", "ATTRIBUTE", "MemberOf placement constraint unsatisfied.")));
        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly("AGENT", "RESOURCE:PORTS");
    }

    @Test
    void distinctInstanceKeepsTheGroupsTasksApartAlsoWithinOneCall() {
        // Given: i-1 already runs a task of the group
        Candidate taken = host("i-1", null, 4096, 4096).withTasks(1, Map.of(WEB, 1));
        List<Candidate> candidates = List.of(taken, host("i-2", null, 4096, 4096), host("i-3", null, 4096, 4096));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates),
                request(SMALL, 3, List.of(new Constraint.DistinctInstance()), Strategy.Spread.INSTANCE));

        // Then
        assertThat(result.placements()).containsExactly("i-2", "i-3");
        assertThat(result.unplaced()).isEqualTo(1);
        assertThat(result.rejections()).extracting(Rejection::reason)
                .containsOnly("DistinctInstance placement constraint unsatisfied.");
    }

    @Test
    void memberOfOnRunningTasksCountSeesTheCopiesPlacedBeforeInTheSameCall() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", null, 4096, 4096), host("i-2", null, 4096, 4096));

        // When: at most two tasks per instance, packed
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates), request(SMALL, 5,
                List.of(memberOf("runningTasksCount < 2")), new Strategy.Binpack(Strategy.Resource.MEMORY)));

        // Then
        assertThat(result.placements()).containsExactly("i-1", "i-1", "i-2", "i-2");
        assertThat(result.rejections()).extracting(Rejection::reason)
                .containsOnly("MemberOf placement constraint unsatisfied.");
    }

    @Test
    void taskGroupAffinityPlacesNextToTheGroupNamed() {
        // Given: only i-2 hosts the database
        Candidate database = host("i-2", null, 1024, 1024).withTasks(1, Map.of("database", 1));
        List<Candidate> candidates = List.of(host("i-1", null, 1024, 1024), database, host("i-3", null, 1024, 1024));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates),
                request(SMALL, 2, List.of(memberOf("task:group == database"))));

        // Then
        assertThat(result.placements()).containsExactly("i-2", "i-2");
    }

    @Test
    void spreadOverZonesThenInstancesBalancesBoth() {
        // Given: zone a holds two instances, zone b one, and zone a already runs two of the service's tasks
        Candidate a1 = host("i-a1", "us-east-1a", 4096, 4096).withTasks(2, Map.of(WEB, 2));
        List<Candidate> candidates = List.of(a1, host("i-a2", "us-east-1a", 4096, 4096),
                host("i-b1", "us-east-1b", 4096, 4096));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates), request(SMALL, 4, List.of(),
                Strategy.Spread.attribute("ecs.availability-zone"), Strategy.Spread.INSTANCE));

        // Then: b catches up with a (2 each), then they alternate, a going to its emptier instance
        assertThat(result.placements()).containsExactly("i-b1", "i-b1", "i-a2", "i-b1");
    }

    @Test
    void binpackOnCpuThenMemoryBreaksTiesWithTheSecondStrategy() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", null, 512, 4096), host("i-2", null, 512, 1024),
                host("i-3", null, 2048, 512));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates), request(SMALL, 1, List.of(),
                new Strategy.Binpack(Strategy.Resource.CPU), new Strategy.Binpack(Strategy.Resource.MEMORY)));

        // Then
        assertThat(result.placements()).containsExactly("i-2");
    }

    @Test
    void randomIsRepeatableForASeedAndUsesTheWholeCluster() {
        // Given
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            candidates.add(host("i-" + i, null, 100_000, 100_000));
        }
        ClusterSnapshot snapshot = ClusterSnapshot.of(candidates);
        PlacementRequest request = request(SMALL, 200, List.of(), new Strategy.Random());

        // When
        PlacementResult first = new Planner(new Random(42)).place(snapshot, request);
        PlacementResult again = new Planner(new Random(42)).place(snapshot, request);

        // Then
        assertThat(first.placements()).isEqualTo(again.placements());
        Map<String, Integer> perInstance = new HashMap<>();
        first.placements().forEach(id -> perInstance.merge(id, 1, Integer::sum));
        assertThat(perInstance).hasSize(10);
        assertThat(Collections.max(perInstance.values())).isLessThan(40);
    }

    @Test
    void aUdpPortIsTakenByTheFirstCopyLikeATcpPort() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", null, 4096, 4096), host("i-2", null, 4096, 4096));
        Demand dns = new Demand(0, 64, Set.of(53), Set.of(53), List.of());

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(candidates), request(dns, 3, List.of()));

        // Then
        assertThat(result.placements()).containsExactly("i-1", "i-2");
        assertThat(result.rejections()).extracting(Rejection::reason).containsOnly("RESOURCE:PORTS");
    }

    @Test
    void anInstanceShownDisconnectedKeepsWhatTheQueryLanguageReads() {
        // Given
        Candidate stale = host("i-1", "us-east-1a", 4096, 4096).withAgentConnected(false);

        // When
        Rejection rejection = Planner.check(request(SMALL, 1,
                List.of(memberOf("attribute:ecs.availability-zone == us-east-1a"))), stale);

        // Then
        assertThat(rejection.reasons()).containsExactly("AGENT");
    }

    @Test
    void checksANamedInstanceWithEveryReason() {
        // Given
        Candidate small = new Candidate("i-1", CLUSTER, false, new Resources(64, 64, Set.of()));

        // When
        Rejection rejection = Planner.check(request(SMALL, 1, List.of(memberOf("attribute:gpu exists"))), small);

        // Then
        assertThat(rejection.reasons()).containsExactly("AGENT", "RESOURCE:CPU", "RESOURCE:MEMORY",
                "MemberOf placement constraint unsatisfied.");
    }

    @Test
    void explainsARefusalWithCountsPerReasonAndTheClosestInstance() {
        // Given: two instances short of memory, one of them also disconnected, and one of another cluster
        Candidate full = host("i-1", null, 4096, 64);
        Candidate quiet = new Candidate("i-2", CLUSTER, false, new Resources(4096, 64, Set.of()));
        Candidate foreign = new Candidate("i-3", "other", true, new Resources(4096, 4096, Set.of()));

        // When
        PlacementResult result = planner.place(ClusterSnapshot.of(List.of(full, quiet, foreign)),
                request(SMALL, 1, List.of()));

        // Then
        assertThat(result.explanation()).isEqualTo("2 instances: 1 AGENT, 2 RESOURCE:MEMORY");
        assertThat(result.closest()).get().extracting(Rejection::instanceId).isEqualTo("i-1");
        assertThat("The closest matching container-instance i-1 " + result.closest().get().check().eventWording()
                + ".").isEqualTo("The closest matching container-instance i-1 has insufficient memory available.");
        assertThat(FeasibilityCheck.MEMBER_OF.eventWording())
                .isEqualTo("encountered error \"MemberOf placement constraint unsatisfied.\"");
    }
}
