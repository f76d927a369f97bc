package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.model.ContainerStatus;
import dev.berth.model.PortMapping;
import dev.berth.testing.DockerCli;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker runtime against the real engine of this host (DOCKER_HOST, or the default
 * socket), with the locally built {@code berth-test/busybox:latest}. Containers are checked
 * with the docker CLI, independently of docker-java.
 */
class DockerContainerRuntimeIT {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final String INSTANCE = UUID.randomUUID().toString().replace("-", "");

    private static DockerContainerRuntime runtime;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        runtime = DockerContainerRuntime.connect(host, Duration.ofSeconds(20), Duration.ofSeconds(30));
        assertThat(runtime.hasImage(IMAGE))
                .as("%s must exist: build it from Debian's busybox-static with docker import (see DESIGN.md §8)", IMAGE)
                .isTrue();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (String name : created) {
            DockerCli.run("rm", "-f", name);
        }
        runtime.close();
    }

    @Test
    void createsAndStartsALabelledContainerWithItsEnvironmentAndLimits() throws Exception {
        // Given
        ContainerSpec spec = spec("web", List.of("sh", "-c", "echo \"$GREETING\" && sleep 60"), List.of());

        // When
        String id = runtime.create(spec);
        runtime.start(id);
        String again = runtime.create(spec);

        // Then
        assertThat(again).as("a repeated create adopts the task's own container").isEqualTo(id);
        RuntimeContainer container = runtime.inspect(spec.name()).orElseThrow();
        assertThat(container.id()).isEqualTo(id);
        assertThat(container.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(container.labels()).containsAllEntriesOf(spec.labels());
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}} {{index .Config.Labels \"dev.berth.task-id\"}}"
                + " {{.HostConfig.CpuShares}} {{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}}", id))
                .isEqualTo("true " + spec.taskId() + " 256 134217728 67108864");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(DockerCli.run("logs", id)).isEqualTo("hello from berth"));
        assertThat(runtime.list(INSTANCE)).extracting(RuntimeContainer::id).contains(id);
    }

    @Test
    void readsBackTheHostPortDockerChoseForAnEphemeralMapping() throws Exception {
        // Given
        ContainerSpec spec = withNetwork(spec("ports", List.of("sleep", "60"), List.of(new PortMapping(8080, 0, "tcp"))),
                "bridge");
        String id = runtime.create(spec);

        // When
        try {
            runtime.start(id);
        } catch (ContainerRuntimeException e) {
            assumeFalse(e.reason().contains("docker0"), "this engine's bridge network is broken: " + e.reason());
            throw e;
        }

        // Then
        RuntimeContainer container = runtime.inspect(id).orElseThrow();
        assertThat(container.networkBindings()).isNotEmpty().allSatisfy(binding -> {
            assertThat(binding.containerPort()).isEqualTo(8080);
            assertThat(binding.hostPort()).isPositive();
            assertThat(binding.protocol()).isEqualTo("tcp");
        });
    }

    @Test
    void readsBackTheExitCodeOfAContainerThatExited() throws Exception {
        // Given
        ContainerSpec spec = spec("job", List.of("sh", "-c", "exit 3"), List.of());
        String id = runtime.create(spec);

        // When
        runtime.start(id);

        // Then
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            RuntimeContainer container = runtime.inspect(id).orElseThrow();
            assertThat(container.status()).isEqualTo(ContainerStatus.STOPPED);
            assertThat(container.exitCode()).isEqualTo(3);
            assertThat(container.finishedAt()).isNotNull();
        });
    }

    @Test
    void announcesTheExitOfAContainerOfThisInstanceAsADieEventOfItsTask() throws Exception {
        // Given
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        ContainerSpec job = spec("events", List.of("sh", "-c", "exit 3"), List.of());
        ContainerSpec otherInstance = withLabel(spec("elsewhere", List.of("sh", "-c", "exit 4"), List.of()),
                BerthLabels.INSTANCE_ID, UUID.randomUUID().toString().replace("-", ""));
        String jobId = runtime.create(job);
        String otherId = runtime.create(otherInstance);

        // When
        try (ContainerRuntime.Subscription subscription = runtime.events(INSTANCE, events::add)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                // The stream connects asynchronously: start again until it has seen the start.
                runtime.start(otherId);
                runtime.start(jobId);
                assertThat(events).extracting(ContainerEvent::containerId).contains(jobId);
            });

            // Then
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events)
                    .filteredOn(e -> e.kind() == ContainerEvent.Kind.DIE)
                    .anySatisfy(e -> {
                        assertThat(e.taskId()).isEqualTo(job.taskId());
                        assertThat(e.containerId()).isEqualTo(jobId);
                        assertThat(e.time()).isNotNull();
                    }));
            assertThat(events).extracting(ContainerEvent::taskId).containsOnly(job.taskId());
        }
    }

    @Test
    void stopsARunningContainerWithinItsTimeoutAndTwiceIsDone() throws Exception {
        // Given: a shell that ignores nothing, so SIGTERM ends it at once
        ContainerSpec spec = spec("sleeper", List.of("sh", "-c", "trap 'exit 143' TERM; sleep 120 & wait"),
                List.of());
        String id = runtime.create(spec);
        runtime.start(id);

        // When
        long started = System.nanoTime();
        runtime.stop(id, Duration.ofSeconds(5));
        runtime.stop(id, Duration.ofSeconds(5));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // Then
        RuntimeContainer container = runtime.inspect(id).orElseThrow();
        assertThat(container.status()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(container.exitCode()).isIn(143, 137);
        assertThat(tookMillis).isLessThan(15_000);
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}}", id)).isEqualTo("false");
    }

    @Test
    void removesAContainerAndRemovingAgainIsDone() throws Exception {
        // Given
        ContainerSpec spec = spec("gone", List.of("true"), List.of());
        String id = runtime.create(spec);

        // When
        runtime.remove(id);
        runtime.remove(id);

        // Then
        assertThat(runtime.inspect(id)).isEmpty();
        assertThat(DockerCli.run("ps", "-aq", "--filter", "id=" + id)).isEmpty();
    }

    @Test
    void theImageOfEachContainerCreatedIsToldToTheImageUseRecord() throws Exception {
        // Given
        List<String> used = new CopyOnWriteArrayList<>();
        runtime.recordImageUse(used::add);
        try {
            // When
            runtime.create(spec("recorded", List.of("true"), List.of()));

            // Then
            assertThat(used).containsExactly(IMAGE);
        } finally {
            runtime.recordImageUse(image -> { });
        }
    }

    @Test
    void aMissingImageCannotBePulled() throws Exception {
        // Given
        String image = "berth-test/does-not-exist:" + UUID.randomUUID().toString().substring(0, 8);

        // When
        boolean present = runtime.hasImage(image);

        // Then
        assertThat(present).isFalse();
        assertThatThrownBy(() -> runtime.pull(image))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.error()).isEqualTo(RuntimeError.CannotPullContainerError);
                    assertThat(e.reason()).startsWith("CannotPullContainerError: ");
                });
    }

    @Test
    void aPullOfAnImageNamedByDigestOrByDockerHubsOldHostFailsWithTheEnginesAnswer() throws Exception {
        // Given: images this host lacks, as a task definition may name them
        String byDigest = "berth-test/does-not-exist@sha256:" + "0123456789abcdef".repeat(4);
        String byOldHubName = "index.docker.io/berth-test/does-not-exist:1";

        // When / Then: the engine was asked and said no, so the task fails rather than waits
        for (String image : List.of(byDigest, byOldHubName)) {
            assertThatThrownBy(() -> runtime.pull(image))
                    .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                        assertThat(e.error()).as(image).isEqualTo(RuntimeError.CannotPullContainerError);
                        assertThat(e.inconclusive()).as(image).isFalse();
                        assertThat(e.reason()).as(image).doesNotContain("NullPointerException")
                                .doesNotContain("Invalid repository name");
                    });
        }
    }

    @Test
    void aCreateOfAnImageThatIsNotOnTheHostSaysThatTheImageIsMissing() {
        // Given
        String image = "berth-test/does-not-exist:" + UUID.randomUUID().toString().substring(0, 8);
        ContainerSpec spec = withImage(spec("web", List.of("true"), List.of()), image);

        // When / Then
        assertThatThrownBy(() -> runtime.create(spec))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.imageMissing()).isTrue();
                    assertThat(e.reason()).isEqualTo("CannotCreateContainerError: No such image: " + image);
                });
        assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + spec.name())).isEmpty();
    }

    @Test
    void listsTheInstancesContainersButThoseOfTheTasksItIsToldToSkip() throws Exception {
        // Given: two containers of this instance, created and never started
        ContainerSpec kept = spec("kept", List.of("sleep", "60"), List.of());
        ContainerSpec skipped = spec("skipped", List.of("sleep", "60"), List.of());
        String keptId = runtime.create(kept);
        String skippedId = runtime.create(skipped);

        // When
        List<RuntimeContainer> listed = runtime.listExcept(INSTANCE, skipped.taskId()::equals);

        // Then
        assertThat(listed).extracting(RuntimeContainer::id).contains(keptId).doesNotContain(skippedId);
        assertThat(runtime.list(INSTANCE)).extracting(RuntimeContainer::id).contains(keptId, skippedId);
    }

    @Test
    void neverListsStopsOrRemovesAContainerWithoutTheBerthLabels() throws Exception {
        // Given: a container made outside Berth, even one claiming this instance in a half label set
        String name = "not-berth-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(name);
        DockerCli.run("run", "-d", "--network", "none", "--name", name, "--label", BerthLabels.INSTANCE_ID + "=" + INSTANCE, IMAGE,
                "sleep", "120");
        String id = DockerCli.run("inspect", "-f", "{{.Id}}", name);

        // When
        List<RuntimeContainer> listed = runtime.list(INSTANCE);

        // Then
        assertThat(listed).extracting(RuntimeContainer::id).doesNotContain(id);
        assertThatThrownBy(() -> runtime.stop(id, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.error()).isEqualTo(RuntimeError.CannotStopContainerError));
        assertThatThrownBy(() -> runtime.remove(id))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.error()).isEqualTo(RuntimeError.CannotRemoveContainerError));
        assertThatThrownBy(() -> runtime.create(new ContainerSpec(name, IMAGE, List.of(), List.of(), List.of(), 2,
                null, null, List.of(), "bridge", null, null, null, labels("intruder", "x"))))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.reason()).startsWith("CannotCreateContainerError: "));
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}}", id)).isEqualTo("true");
    }

    private static ContainerSpec spec(String container, List<String> command, List<PortMapping> ports) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        String name = "berth-it-1-" + container + "-" + taskId;
        created.add(name);
        return new ContainerSpec(name, IMAGE, command, List.of(), List.of("GREETING=hello from berth"), 256,
                128L * 1024 * 1024, 64L * 1024 * 1024, ports, "none", null, null, null, labels(container, taskId));
    }

    private static ContainerSpec withNetwork(ContainerSpec spec, String networkMode) {
        return new ContainerSpec(spec.name(), spec.image(), spec.command(), spec.entryPoint(), spec.environment(),
                spec.cpuShares(), spec.memoryBytes(), spec.memoryReservationBytes(), spec.portMappings(), networkMode,
                spec.workingDirectory(), spec.user(), spec.hostname(), spec.labels());
    }

    private static ContainerSpec withImage(ContainerSpec spec, String image) {
        return new ContainerSpec(spec.name(), image, spec.command(), spec.entryPoint(), spec.environment(),
                spec.cpuShares(), spec.memoryBytes(), spec.memoryReservationBytes(), spec.portMappings(),
                spec.networkMode(), spec.workingDirectory(), spec.user(), spec.hostname(), spec.labels());
    }

    private static ContainerSpec withLabel(ContainerSpec spec, String name, String value) {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(name, value);
        return new ContainerSpec(spec.name(), spec.image(), spec.command(), spec.entryPoint(), spec.environment(),
                spec.cpuShares(), spec.memoryBytes(), spec.memoryReservationBytes(), spec.portMappings(),
                spec.networkMode(), spec.workingDirectory(), spec.user(), spec.hostname(), labels);
    }

    private static Map<String, String> labels(String container, String taskId) {
        return Map.of(BerthLabels.CLUSTER, "it", BerthLabels.TASK_ID, taskId, BerthLabels.INSTANCE_ID, INSTANCE,
                BerthLabels.CONTAINER_NAME, container, BerthLabels.TASK_DEFINITION, "it:1",
                BerthLabels.TASK_ARN, "arn:aws:ecs:local:000000000000:task/it/" + taskId);
    }

}
