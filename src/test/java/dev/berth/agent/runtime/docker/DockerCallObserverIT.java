package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.RuntimeCallObserver;
import dev.berth.agent.runtime.RuntimeCallObserver.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Docker runtime tells its observer, against the real engine of this host: the
 * call's verb (never an id) and whether the engine answered.
 */
class DockerCallObserverIT {

    private record Seen(String call, Outcome outcome, Duration took) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final RuntimeCallObserver observer = (call, outcome, took) -> seen.add(new Seen(call, outcome, took));

    @Test
    void namesEachCallByItsVerbAndTellsAnAnswerFromAnError() throws Exception {
        // Given
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        String missing = "berth-missing-" + UUID.randomUUID();
        try (DockerContainerRuntime runtime = DockerContainerRuntime.connect(host, Duration.ofSeconds(20),
                Duration.ofSeconds(30))) {
            runtime.observe(observer);

            // When
            runtime.engineVersion();
            assertThat(runtime.inspect(missing)).isEmpty();
            assertThatThrownBy(() -> runtime.start(missing)).isInstanceOf(ContainerRuntimeException.class);
        }

        // Then
        assertThat(seen).extracting(Seen::call, Seen::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("version", Outcome.OK),
                org.assertj.core.groups.Tuple.tuple("inspect", Outcome.OK),
                org.assertj.core.groups.Tuple.tuple("start", Outcome.ERROR));
        assertThat(seen).allSatisfy(s -> assertThat(s.took()).isPositive());
    }

    @Test
    void reportsAnEngineThatCannotBeReached(@TempDir Path dir) {
        // Given
        try (DockerContainerRuntime runtime = DockerContainerRuntime.connect("unix://" + dir.resolve("no.sock"),
                Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            runtime.observe(observer);

            // When
            assertThatThrownBy(runtime::engineVersion).isInstanceOf(ContainerRuntimeException.class);
        }

        // Then
        assertThat(seen).extracting(Seen::call, Seen::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("version", Outcome.UNREACHABLE));
    }
}
