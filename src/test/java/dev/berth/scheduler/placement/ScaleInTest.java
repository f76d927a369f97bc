package dev.berth.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleInTest {

    private static final Demand TASK = new Demand(256, 512, Set.of(), Set.of(), List.of());

    private final ScaleIn scaleIn = new ScaleIn(new Random(3));

    private static Candidate host(String id, String zone, int memoryLeft) {
        return new Candidate(id, "default", true, new Resources(4096, memoryLeft, Set.of()), Set.of(),
                Map.of("ecs.availability-zone", zone), id, "1.0.0", Instant.EPOCH, 0, Map.of());
    }

    private static RunningTask task(String id, String instanceId) {
        return new RunningTask(id, instanceId, TASK);
    }

    @Test
    void binpackStopsTheTaskWhoseInstanceIsLeftWithTheMostMemory() {
        // Given: i-2 has the most memory left; once its task is gone, i-1 and i-2 stand at 1024 + 512 each
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(host("i-1", "a", 1024), host("i-2", "a", 2048)));
        List<RunningTask> tasks = List.of(task("t-1", "i-1"), task("t-2", "i-2"), task("t-3", "i-1"));

        // When
        List<String> stopped = scaleIn.choose(snapshot, tasks, 2, List.of(new Strategy.Binpack(Strategy.Resource.MEMORY)));

        // Then: t-2 first (2048 + 512), then a task of i-1 (1024 + 512 beats i-2 with nothing left to stop)
        assertThat(stopped).containsExactly("t-2", "t-1");
    }

    @Test
    void spreadOverZonesStopsFromTheZoneWithTheMostTasks() {
        // Given: three tasks in zone a, one in zone b
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(host("i-a1", "a", 1024), host("i-a2", "a", 1024),
                host("i-b1", "b", 1024)));
        List<RunningTask> tasks = List.of(task("t-1", "i-a1"), task("t-2", "i-a1"), task("t-3", "i-a2"),
                task("t-4", "i-b1"));

        // When
        List<String> stopped = scaleIn.choose(snapshot, tasks, 3, List.of(
                Strategy.Spread.attribute("ecs.availability-zone"), Strategy.Spread.INSTANCE));

        // Then: a 3→2 from its busiest instance (t-1 by id), a 2→1 (t-2), then a and b tie 1:1 and the id decides
        assertThat(stopped).containsExactly("t-1", "t-2", "t-3");
    }

    @Test
    void randomIsRepeatableForASeedAndStopsNoMoreThanThereAre() {
        // Given
        ClusterSnapshot snapshot = ClusterSnapshot.of(List.of(host("i-1", "a", 1024)));
        List<RunningTask> tasks = List.of(task("t-1", "i-1"), task("t-2", "i-1"), task("t-3", "i-1"));

        // When
        List<String> first = new ScaleIn(new Random(9)).choose(snapshot, tasks, 5, List.of(new Strategy.Random()));
        List<String> again = new ScaleIn(new Random(9)).choose(snapshot, tasks, 5, List.of(new Strategy.Random()));

        // Then
        assertThat(first).isEqualTo(again).containsExactlyInAnyOrder("t-1", "t-2", "t-3");
    }
}
