package dev.berth.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.agent.engine.DependencyGate.Verdict;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.ContainerState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** dependsOn and links decide when a container may start, as ECS decides it. */
class DependencyGateTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");

    private final TaskDefinition dependsOn = Fixtures.taskDefinition("depends-on-task-definition.json");
    private final TaskDefinition health = Fixtures.taskDefinition("health-task-definition.json");

    private static ContainerDefinition container(TaskDefinition definition, String name) {
        return definition.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, ContainerState> states(ContainerState... states) {
        Map<String, ContainerState> byName = new HashMap<>();
        for (ContainerState state : states) {
            byName.put(state.name(), state);
        }
        return byName;
    }

    private static ContainerState state(String name, ContainerStatus status, Integer exitCode, HealthStatus health) {
        return new ContainerState(name, "id-" + name, "busybox", status, exitCode, null, List.of(), health, null);
    }

    private Verdict appGate(TaskDefinition definition, ContainerState dependency) {
        return DependencyGate.check(container(definition, "app"), definition.containers(),
                states(state("app", ContainerStatus.PENDING, null, null), dependency), Map.of(), NOW);
    }

    @Test
    void successWaitsForTheDependencyToExitAndOpensOnExitCodeZero() {
        // When
        Verdict running = appGate(dependsOn, state("init", ContainerStatus.RUNNING, null, null));
        Verdict succeeded = appGate(dependsOn, state("init", ContainerStatus.STOPPED, 0, null));

        // Then
        assertThat(running).isEqualTo(new Verdict.Waiting("init"));
        assertThat(succeeded).isInstanceOf(Verdict.Met.class);
    }

    @Test
    void successCanNeverBeMetOnceTheDependencyExitedWithAnotherCode() {
        // When
        Verdict failed = appGate(dependsOn, state("init", ContainerStatus.STOPPED, 1, null));

        // Then
        assertThat(failed).isEqualTo(new Verdict.Unmeetable("Container 'app' cannot start: its dependency on 'init' "
                + "(condition SUCCESS) can never be met: 'init' exited with code 1"));
    }

    @Test
    void healthyOpensOnHealthyWaitsWhileUnhealthyAndCanNeverBeMetOnceExited() {
        // When
        Verdict starting = appGate(health, state("db", ContainerStatus.RUNNING, null, HealthStatus.UNKNOWN));
        Verdict healthy = appGate(health, state("db", ContainerStatus.RUNNING, null, HealthStatus.HEALTHY));
        Verdict unhealthy = appGate(health, state("db", ContainerStatus.RUNNING, null, HealthStatus.UNHEALTHY));
        Verdict exited = appGate(health, state("db", ContainerStatus.STOPPED, 0, HealthStatus.HEALTHY));

        // Then
        assertThat(starting).isEqualTo(new Verdict.Waiting("db"));
        assertThat(healthy).isInstanceOf(Verdict.Met.class);
        assertThat(unhealthy).as("Docker makes it HEALTHY again after one passing check")
                .isEqualTo(new Verdict.Waiting("db"));
        assertThat(exited).isInstanceOfSatisfying(Verdict.Unmeetable.class, v -> assertThat(v.reason())
                .contains("'db' exited with code 0"));
    }

    @Test
    void healthyCanNeverBeMetOnAContainerWithoutAHealthCheck() {
        // Given: app depends on db being HEALTHY, but this db has no healthCheck
        TaskDefinition definition = Fixtures.withContainerField(health, "db", "healthCheck", null);

        // When
        Verdict verdict = appGate(definition, state("db", ContainerStatus.RUNNING, null, null));

        // Then
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Unmeetable.class, v -> assertThat(v.reason())
                .isEqualTo("Container 'app' cannot start: its dependency on 'db' (condition HEALTHY) can never be "
                        + "met: 'db' has no healthCheck"));
    }

    @Test
    void startAndCompleteFollowTheDependencysStatus() {
        // Given
        TaskDefinition start = Fixtures.withContainerField(dependsOn, "app", "dependsOn",
                List.of(Map.of("containerName", "init", "condition", "START")));
        TaskDefinition complete = Fixtures.withContainerField(dependsOn, "app", "dependsOn",
                List.of(Map.of("containerName", "init", "condition", "COMPLETE")));

        // Then
        assertThat(appGate(start, state("init", ContainerStatus.PENDING, null, null)))
                .isInstanceOf(Verdict.Waiting.class);
        assertThat(appGate(start, state("init", ContainerStatus.RUNNING, null, null))).isInstanceOf(Verdict.Met.class);
        assertThat(appGate(complete, state("init", ContainerStatus.RUNNING, null, null)))
                .isInstanceOf(Verdict.Waiting.class);
        assertThat(appGate(complete, state("init", ContainerStatus.STOPPED, 9, null))).isInstanceOf(Verdict.Met.class);
    }

    @Test
    void aDependencyOnAContainerTheTaskDoesNotHaveCanNeverBeMet() {
        // Given
        TaskDefinition definition = Fixtures.withContainerField(dependsOn, "app", "dependsOn",
                List.of(Map.of("containerName", "ghost", "condition", "START")));

        // When
        Verdict verdict = appGate(definition, state("init", ContainerStatus.RUNNING, null, null));

        // Then
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Unmeetable.class, v -> assertThat(v.reason())
                .contains("'ghost'", "the task has no container named 'ghost'"));
    }

    @Test
    void aLinkIsAStartDependencyAndItsTargetIsCreatedFirst() {
        // Given: app links to init, which the definition lists after it
        TaskDefinition linked = Fixtures.withContainerField(
                Fixtures.withContainerField(dependsOn, "app", "dependsOn", null), "app", "links", List.of("init:db"));

        // When
        Verdict before = appGate(linked, state("init", ContainerStatus.PENDING, null, null));
        List<ContainerDefinition> order = DependencyGate.createOrder(linked.containers());

        // Then
        assertThat(before).isEqualTo(new Verdict.Waiting("init"));
        assertThat(order).extracting(ContainerDefinition::name).containsExactly("init", "app");
    }

    @Test
    void aDependencyThatRanForItsStartTimeoutWithoutMeetingTheConditionNeverWill() {
        // Given: db may take 30 s to become healthy
        TaskDefinition definition = Fixtures.withContainerField(health, "db", "startTimeout", 30);
        Map<String, ContainerState> known = states(state("app", ContainerStatus.PENDING, null, null),
                state("db", ContainerStatus.RUNNING, null, HealthStatus.UNKNOWN));
        ContainerDefinition app = container(definition, "app");

        // When
        Verdict early = DependencyGate.check(app, definition.containers(), known, Map.of("db", NOW.minusSeconds(29)),
                NOW);
        Verdict late = DependencyGate.check(app, definition.containers(), known, Map.of("db", NOW.minusSeconds(30)),
                NOW);

        // Then
        assertThat(early).isEqualTo(new Verdict.Waiting("db"));
        assertThat(late).isEqualTo(new Verdict.Unmeetable("Container 'app' cannot start: its dependency on 'db' "
                + "(condition HEALTHY) can never be met: 'db' did not reach it within its startTimeout of 30 s"));
    }

    @Test
    void aStartTimeoutOfZeroOrLessIsNotSetAndTheDependencyIsWaitedFor() {
        // Given: db, running for an hour, with a startTimeout of 0 and, in another definition, -1
        Map<String, ContainerState> known = states(state("app", ContainerStatus.PENDING, null, null),
                state("db", ContainerStatus.RUNNING, null, HealthStatus.UNKNOWN));
        Map<String, Instant> anHourAgo = Map.of("db", NOW.minusSeconds(3600));

        // When
        TaskDefinition zero = Fixtures.withContainerField(health, "db", "startTimeout", 0);
        TaskDefinition negative = Fixtures.withContainerField(health, "db", "startTimeout", -1);
        Verdict withZero = DependencyGate.check(container(zero, "app"), zero.containers(), known, anHourAgo, NOW);
        Verdict withNegative = DependencyGate.check(container(negative, "app"), negative.containers(), known,
                anHourAgo, NOW);

        // Then: as ECS's agent reads it, no timeout at all
        assertThat(withZero).isEqualTo(new Verdict.Waiting("db"));
        assertThat(withNegative).isEqualTo(new Verdict.Waiting("db"));
    }

    @Test
    void dependenciesAreCreatedFirstAndStoppedLast() {
        // Given: app (listed first) depends on init
        List<ContainerDefinition> containers = dependsOn.containers();

        // When
        List<ContainerDefinition> create = DependencyGate.createOrder(containers);
        List<ContainerDefinition> stop = DependencyGate.stopOrder(containers);

        // Then
        assertThat(create).extracting(ContainerDefinition::name).containsExactly("init", "app");
        assertThat(stop).extracting(ContainerDefinition::name).containsExactly("app", "init");
        assertThat(DependencyGate.stopLayers(containers)).extracting(layer -> layer.stream()
                .map(ContainerDefinition::name).toList()).containsExactly(List.of("app"), List.of("init"));
    }

    @Test
    void containersThatNeedNothingOfEachOtherStopInOneLayer() {
        // Given: the web task's web and sidecar, which do not depend on each other
        List<ContainerDefinition> containers = Fixtures.webTaskDefinition().containers();

        // Then
        assertThat(DependencyGate.stopLayers(containers)).singleElement().satisfies(layer ->
                assertThat(layer).extracting(ContainerDefinition::name).containsExactlyInAnyOrder("web", "sidecar"));
    }
}
