package dev.berth.agent.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.agent.engine.FakeContainerRuntime;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.agent.runtime.ImageDisk;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which images a cleanup cycle removes, with a fake engine and a settable clock. */
class ImageCleanupTest {

    private static final Duration MINIMUM_AGE = Duration.ofHours(1);

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final Set<String> named = new HashSet<>();

    private ImageCleanup cleanup(int perCycle, int high, int low) {
        return new ImageCleanup(runtime, () -> Set.copyOf(named),
                ImageHistory.load(dataDir.resolve("agent").resolve("images.properties")),
                new ImageCleanupPolicy(MINIMUM_AGE, perCycle, high, low), clock);
    }

    /** The images were named by tasks at the first cycle, then those tasks went. */
    private ImageCleanup usedOnceThenForgotten(ImageCleanup cleanup, String... images) throws Exception {
        for (String image : images) {
            runtime.withImage(image);
            named.add(image);
        }
        cleanup.cycle();
        named.clear();
        return cleanup;
    }

    @Test
    void anImageUnusedForTheMinimumAgeIsRemovedAndOnlyImagesTasksNamed() throws Exception {
        // Given: the operator's own image was never named by a task
        runtime.withImage("operator/tool:1");
        ImageCleanup cleanup = usedOnceThenForgotten(cleanup(5, 100, 100), "app:1");

        // When
        clock.advance(MINIMUM_AGE.minusSeconds(1));
        List<String> early = cleanup.cycle();
        clock.advance(Duration.ofSeconds(1));
        List<String> due = cleanup.cycle();

        // Then
        assertThat(early).isEmpty();
        assertThat(due).containsExactly("app:1");
        assertThat(runtime.hasImageNow("operator/tool:1")).isTrue();
    }

    @Test
    void anImageThatAContainerOrAKnownTaskUsesIsNeverRemoved() throws Exception {
        // Given: two images tasks named; a container (running or not) uses one, a known task names the other
        ImageCleanup cleanup = usedOnceThenForgotten(cleanup(5, 100, 100), "berth-test/busybox:latest", "app:2");
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING, Fixtures.sleeperTaskDefinition());
        runtime.create(ContainerSpecs.build(task, task.taskDefinition().containers().get(0)));
        named.add("app:2");

        // When
        clock.advance(MINIMUM_AGE.multipliedBy(3));
        List<String> removed = cleanup.cycle();

        // Then
        assertThat(removed).isEmpty();
        assertThat(runtime.imagesRemoved).isEmpty();
    }

    @Test
    void anImageATaskUsedBetweenTwoCyclesIsRemovedOnceUnusedForTheMinimumAge() throws Exception {
        // Given: a cycle, then a task whose container is created and gone before the next one
        runtime.withImage("app:5");
        ImageCleanup cleanup = cleanup(5, 100, 100);
        cleanup.cycle();
        clock.advance(Duration.ofMinutes(10));
        cleanup.used("docker.io/library/app:5");
        clock.advance(Duration.ofMinutes(10));

        // When
        List<String> early = cleanup.cycle();
        clock.advance(MINIMUM_AGE.minus(Duration.ofMinutes(10)));
        List<String> due = cleanup.cycle();

        // Then: its age counts from the container's creation
        assertThat(early).isEmpty();
        assertThat(due).containsExactly("app:5");
    }

    @Test
    void anImageATaskNamesByDigestIsKeptThoughItsTagIsUnused() throws Exception {
        // Given: app:6 unused for long, and a pending task naming the same image by its digest
        String pinned = "app@sha256:" + "6".repeat(64);
        runtime.withImage("app:6", pinned);
        ImageCleanup cleanup = usedOnceThenForgotten(cleanup(5, 100, 100), "app:6");
        named.add(pinned);

        // When
        clock.advance(MINIMUM_AGE.multipliedBy(2));
        List<String> removed = cleanup.cycle();

        // Then: removing the tag would have taken the image the task is about to run
        assertThat(removed).isEmpty();
        assertThat(runtime.hasImageNow("app:6")).isTrue();
    }

    @Test
    void theMinimumAgeCountsFromTheLastUseAndSurvivesARestart() throws Exception {
        // Given: used at the first cycle, still named at a second one half an age later
        ImageCleanup first = usedOnceThenForgotten(cleanup(5, 100, 100), "app:3");
        named.add("app:3");
        clock.advance(MINIMUM_AGE.dividedBy(2));
        first.cycle();
        named.clear();

        // When: the agent restarts, with the history it kept on disk
        clock.advance(MINIMUM_AGE.dividedBy(2));
        List<String> tooEarly = cleanup(5, 100, 100).cycle();
        clock.advance(MINIMUM_AGE.dividedBy(2));
        List<String> due = cleanup(5, 100, 100).cycle();

        // Then
        assertThat(tooEarly).isEmpty();
        assertThat(due).containsExactly("app:3");
    }

    @Test
    void eachCycleRemovesAtMostItsCountLeastRecentlyUsedFirst() throws Exception {
        // Given
        ImageCleanup cleanup = usedOnceThenForgotten(cleanup(2, 100, 100), "old:1");
        clock.advance(Duration.ofMinutes(1));
        usedOnceThenForgotten(cleanup, "mid:1", "new:1");

        // When
        clock.advance(MINIMUM_AGE.multipliedBy(2));
        List<String> firstCycle = cleanup.cycle();
        List<String> secondCycle = cleanup.cycle();

        // Then
        assertThat(firstCycle).hasSize(2).startsWith("old:1");
        assertThat(secondCycle).hasSize(1);
    }

    @Test
    void aboveTheHighWatermarkACycleRemovesBeyondItsCountUntilTheLowWatermark() throws Exception {
        // Given: 4 eligible images of 10 bytes on a 100-byte disk at 90 %
        ImageCleanup cleanup = usedOnceThenForgotten(cleanup(1, 85, 70), "a:1", "b:1", "c:1", "d:1");
        runtime.disk = new ImageDisk(100, 90);
        runtime.bytesPerImage = 10;

        // When
        clock.advance(MINIMUM_AGE);
        List<String> removed = cleanup.cycle();

        // Then: 90 -> 80 -> 70, then it stops
        assertThat(removed).hasSize(2);
        assertThat(runtime.disk.usedBytes()).isEqualTo(70);
    }

    @Test
    void aLowWatermarkAboveTheHighOneIsRefusedNamingBothSettings() {
        // When / Then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ImageCleanupPolicy(MINIMUM_AGE, 5, 80, 90))
                .hasMessageContaining("BERTH_AGENT_IMAGE_DISK_LOW_WATERMARK")
                .hasMessageContaining("BERTH_AGENT_IMAGE_DISK_HIGH_WATERMARK");
    }
}
