package dev.berth.agent.engine;

import static dev.berth.agent.Fixtures.INSTANCE;
import static dev.berth.agent.Fixtures.desired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.TaskStateChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the engine's snapshots show of a task while its worker syncs: what the introspection endpoints serve. */
class TaskSnapshotTest {

    private static final String IMAGE = "berth-test/busybox:latest";
    /** The fake engine's StartedAt of every start. */
    private static final Instant DOCKER_START = Instant.parse("2025-01-01T00:00:00Z");

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().withImage(IMAGE);
    private final List<TaskStateChange> reported = new ArrayList<>();
    private final TaskEngine engine = new TaskEngine(INSTANCE, runtime, reported::add, Runnable::run,
            Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(30));

    @Test
    void aContainerShowsItsDockerIdAsSoonAsItIsCreatedNotOnlyOnceTheSyncReportsIt() {
        // Given: a look at the task as the engine is asked to create its second container
        List<TaskSnapshot> whileCreating = new ArrayList<>();
        runtime.onCall = call -> {
            if (call.equals("create") && runtime.creates.size() == 1) {
                whileCreating.addAll(engine.snapshot());
            }
        };
        engine.caughtUp();

        // When
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));

        // Then: the first container has its id, though the last report (PENDING) names none
        TaskSnapshot snapshot = whileCreating.get(0);
        assertThat(snapshot.reported().containers()).extracting(ContainerState::runtimeId).containsOnlyNulls();
        assertThat(snapshot.containers()).extracting(c -> c.name(), c -> c.runtimeId())
                .containsExactly(tuple("web", "c1"), tuple("sidecar", null));
        assertThat(reported.get(reported.size() - 1).lastStatus()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void eachContainerCarriesDockersOwnStartAndFinishTimes() {
        // Given: a running task whose sidecar (not essential) exits
        engine.caughtUp();
        engine.desired(desired("t1", 1, TaskStatus.RUNNING));
        Instant exited = Instant.parse("2025-01-01T00:05:00Z");

        // When
        runtime.exitAt("t1", "sidecar", 0, exited);
        engine.resync();

        // Then
        TaskSnapshot snapshot = engine.snapshot().get(0);
        assertThat(snapshot.container("web").orElseThrow().finishedAt()).isNull();
        assertThat(snapshot.container("web").orElseThrow().startedAt()).isEqualTo(DOCKER_START);
        assertThat(snapshot.container("sidecar").orElseThrow().startedAt()).isEqualTo(DOCKER_START);
        assertThat(snapshot.container("sidecar").orElseThrow().finishedAt()).isEqualTo(exited);
    }

    @Test
    void aContainerCarriesWhenDockerCreatedItAndItsMountsOnceInspected() {
        // Given
        KnownTask known = new KnownTask("t1", desired("t1", 1, TaskStatus.RUNNING).taskDefinition().containers());
        Instant created = Instant.parse("2025-01-01T00:00:01Z");
        List<RuntimeContainer.Mount> mounts = List.of(new RuntimeContainer.Mount(null, "/srv/config", "/etc/web"),
                new RuntimeContainer.Mount("berth-task-t1-data", "/var/lib/docker/volumes/berth-task-t1-data/_data",
                        "/data"));

        // When
        known.observed("web", new RuntimeContainer("c1", "web-t1", IMAGE, "sha256:1", Map.of(),
                ContainerStatus.RUNNING, null, null, List.of(), created, DOCKER_START, null, null, false, mounts));

        // Then
        TaskSnapshot.Container web = known.published().get(0);
        assertThat(web.createdAt()).isEqualTo(created);
        assertThat(web.mounts()).isEqualTo(mounts);
        assertThat(known.published().get(1).createdAt()).isNull();
        assertThat(known.published().get(1).mounts()).isEmpty();
    }
}
