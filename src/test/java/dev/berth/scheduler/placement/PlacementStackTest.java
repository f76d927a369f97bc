package dev.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementStackTest {

    private static final String CLUSTER = "default";

    private final PlacementStack stack = PlacementStack.binpack();

    private static Candidate host(String id, int cpu, int memory, Integer... takenPorts) {
        return new Candidate(id, CLUSTER, true, new Resources(cpu, memory, Set.of(takenPorts)));
    }

    @Test
    void placesATaskThatFits() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", 1024, 512));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(256, 256, Set.of()), 1, candidates);

        // Then
        assertThat(result.placements()).containsExactly("i-1");
        assertThat(result.isComplete()).isTrue();
        assertThat(result.rejections()).isEmpty();
    }

    @Test
    void rejectsWithResourceMemoryWhenNoInstanceHasEnoughMemory() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", 1024, 512), host("i-2", 1024, 128));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 1024, Set.of()), 1, candidates);

        // Then
        assertThat(result.placements()).isEmpty();
        assertThat(result.unplaced()).isEqualTo(1);
        assertThat(result.rejections()).extracting(Rejection::instanceId, Rejection::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("i-1", "RESOURCE:MEMORY"),
                        org.assertj.core.groups.Tuple.tuple("i-2", "RESOURCE:MEMORY"));
    }

    @Test
    void rejectsWithResourceCpuBeforeMemory() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", 128, 64));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(512, 1024, Set.of()), 1, candidates);

        // Then
        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly("RESOURCE:CPU");
    }

    @Test
    void rejectsWithResourcePortsWhenAStaticHostPortIsTaken() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", 1024, 1024, 22, 80));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 64, Set.of(80)), 1, candidates);

        // Then
        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly("RESOURCE:PORTS");
    }

    @Test
    void rejectsADisconnectedAgentAndDoesNotReportForeignClusters() {
        // Given
        Candidate quiet = new Candidate("i-1", CLUSTER, false, new Resources(1024, 1024, Set.of()));
        Candidate foreign = new Candidate("i-2", "other", true, new Resources(1024, 1024, Set.of()));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 64, Set.of()), 1, List.of(quiet, foreign));

        // Then
        assertThat(result.rejections()).extracting(Rejection::reason).containsExactly("AGENT", "CLUSTER");
        assertThat(result.rejections()).filteredOn(Rejection::isReported).extracting(Rejection::instanceId)
                .containsExactly("i-1");
    }

    @Test
    void binpackChoosesTheInstanceWithTheLeastMemoryLeft() {
        // Given
        List<Candidate> candidates = List.of(host("i-big", 1024, 4096), host("i-small", 1024, 600),
                host("i-mid", 1024, 2048));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 512, Set.of()), 1, candidates);

        // Then
        assertThat(result.placements()).containsExactly("i-small");
    }

    @Test
    void breaksTiesByInstanceId() {
        // Given
        List<Candidate> candidates = List.of(host("i-b", 1024, 1024), host("i-a", 1024, 1024));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 512, Set.of()), 1, candidates);

        // Then
        assertThat(result.placements()).containsExactly("i-a");
    }

    @Test
    void countsTheTasksPlacedEarlierInTheSameCall() {
        // Given: room for two 512 MiB tasks on i-1 and one on i-2
        List<Candidate> candidates = List.of(host("i-1", 4096, 1024), host("i-2", 4096, 700));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 512, Set.of()), 4, candidates);

        // Then
        assertThat(result.placements()).containsExactly("i-2", "i-1", "i-1");
        assertThat(result.unplaced()).isEqualTo(1);
        assertThat(result.rejections()).extracting(Rejection::reason)
                .containsExactly("RESOURCE:MEMORY", "RESOURCE:MEMORY");
    }

    @Test
    void aStaticHostPortIsTakenByTheFirstCopyOfTheSameCall() {
        // Given
        List<Candidate> candidates = List.of(host("i-1", 4096, 4096), host("i-2", 4096, 4096));

        // When
        PlacementResult result = stack.place(CLUSTER, new Resources(0, 64, Set.of(8080)), 3, candidates);

        // Then
        assertThat(result.placements()).containsExactlyInAnyOrder("i-1", "i-2");
        assertThat(result.rejections()).extracting(Rejection::reason)
                .containsExactly("RESOURCE:PORTS", "RESOURCE:PORTS");
    }
}
