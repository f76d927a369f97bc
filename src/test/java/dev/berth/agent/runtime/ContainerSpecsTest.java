package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.Fixtures;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import org.junit.jupiter.api.Test;

class ContainerSpecsTest {

    private static final long MIB = 1024L * 1024L;

    private static ContainerDefinition container(DesiredTask task, String name) {
        return task.taskDefinition().containers().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void everyContainerCarriesTheBerthLabelsAndKeepsItsOwnButNeverSpoofedOnes() throws Exception {
        // Given
        DesiredTask task = Fixtures.desired("9f1c2d3e4b5a69788796a5b4c3d2e1f0", 4, TaskStatus.RUNNING);

        // When
        ContainerSpec spec = ContainerSpecs.build(task, container(task, "web"));

        // Then
        assertThat(spec.labels())
                .containsEntry("dev.berth.cluster", "default")
                .containsEntry("dev.berth.task-id", "9f1c2d3e4b5a69788796a5b4c3d2e1f0")
                .containsEntry("dev.berth.instance-id", Fixtures.INSTANCE)
                .containsEntry("dev.berth.container-name", "web")
                .containsEntry("dev.berth.task-definition", "web:3")
                .containsEntry("dev.berth.task-arn",
                        "arn:aws:ecs:us-east-1:000000000000:task/default/9f1c2d3e4b5a69788796a5b4c3d2e1f0")
                .containsEntry("team", "payments");
        assertThat(spec.labels()).as("the labels ECS's agent puts on every container")
                .containsEntry("com.amazonaws.ecs.task-arn",
                        "arn:aws:ecs:us-east-1:000000000000:task/default/9f1c2d3e4b5a69788796a5b4c3d2e1f0")
                .containsEntry("com.amazonaws.ecs.cluster", "default")
                .containsEntry("com.amazonaws.ecs.container-name", "web")
                .containsEntry("com.amazonaws.ecs.task-definition-family", "web")
                .containsEntry("com.amazonaws.ecs.task-definition-version", "3");
        assertThat(spec.name()).isEqualTo("berth-web-3-web-9f1c2d3e4b5a69788796a5b4c3d2e1f0");
    }

    @Test
    void cpuUnitsBecomeSharesOfAtLeastTwoAndMemoryBecomesHardAndSoftLimits() throws Exception {
        // Given
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING);

        // When
        ContainerSpec web = ContainerSpecs.build(task, container(task, "web"));
        ContainerSpec sidecar = ContainerSpecs.build(task, container(task, "sidecar"));

        // Then
        assertThat(web.cpuShares()).isEqualTo(256);
        assertThat(web.memoryBytes()).isEqualTo(128 * MIB);
        assertThat(web.memoryReservationBytes()).isEqualTo(64 * MIB);
        assertThat(sidecar.cpuShares()).isEqualTo(2);
        assertThat(sidecar.memoryBytes()).isNull();
        assertThat(sidecar.memoryReservationBytes()).isEqualTo(32 * MIB);
    }

    @Test
    void theDefinitionIsCarriedOverAsItIs() throws Exception {
        // Given
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING);

        // When
        ContainerSpec web = ContainerSpecs.build(task, container(task, "web"));

        // Then
        assertThat(web.image()).isEqualTo("berth-test/busybox:latest");
        assertThat(web.command()).containsExactly("httpd", "-f", "-p", "8080");
        assertThat(web.environment()).containsExactly("STAGE=prod", "LOG_LEVEL=info");
        assertThat(web.workingDirectory()).isEqualTo("/srv");
        assertThat(web.user()).isEqualTo("nobody");
        assertThat(web.networkMode()).isEqualTo("bridge");
        assertThat(web.portMappings()).singleElement().satisfies(p -> {
            assertThat(p.containerPort()).isEqualTo(8080);
            assertThat(p.hasStaticHostPort()).isFalse();
        });
    }

    @Test
    void runTaskOverridesReplaceCommandAndLimitsAndMergeTheEnvironment() throws Exception {
        // Given
        DesiredTask plain = Fixtures.desired("t1", 1, TaskStatus.RUNNING);
        DesiredTask task = new DesiredTask(plain.schemaVersion(), plain.version(), plain.taskId(), plain.taskArn(),
                plain.cluster(), plain.instanceId(), plain.taskDefinition(), Fixtures.runTaskOverrides(),
                plain.desiredStatus(), plain.startedBy(), plain.group(), plain.createdAt(), null, null);

        // When
        ContainerSpec web = ContainerSpecs.build(task, container(task, "web"));
        ContainerSpec sidecar = ContainerSpecs.build(task, container(task, "sidecar"));

        // Then
        assertThat(web.command()).containsExactly("httpd", "-f", "-p", "9090");
        assertThat(web.environment()).containsExactly("STAGE=prod", "LOG_LEVEL=debug", "FEATURE=on");
        assertThat(web.cpuShares()).isEqualTo(512);
        assertThat(web.memoryBytes()).isEqualTo(256 * MIB);
        assertThat(web.memoryReservationBytes()).isEqualTo(64 * MIB);
        assertThat(sidecar.command()).containsExactly("sleep", "3600");
    }

    @Test
    void theTaskMemoryIsTheHardLimitOfATasksOnlyContainerThatSetsNoneAsEcsTaskCgroupBoundsIt() throws Exception {
        // Given: one container without memory in a task of 512 MiB, and RunTask's override of it
        dev.berth.model.TaskDefinition sleeper = Fixtures.withTaskField(Fixtures.withContainerField(
                Fixtures.sleeperTaskDefinition(), "app", "memory", null), "memory", "512");
        DesiredTask plain = Fixtures.desired("t1", 1, TaskStatus.RUNNING, sleeper);
        DesiredTask overridden = new DesiredTask(plain.schemaVersion(), plain.version(), plain.taskId(),
                plain.taskArn(), plain.cluster(), plain.instanceId(), sleeper,
                new dev.berth.model.TaskOverride(null, null, "1 GB"), plain.desiredStatus(), plain.startedBy(),
                plain.group(), plain.createdAt(), null, null);
        DesiredTask ownLimit = Fixtures.desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withContainerField(sleeper, "app", "memory", 64));

        // Then
        assertThat(ContainerSpecs.build(plain, container(plain, "app")).memoryBytes()).isEqualTo(512 * MIB);
        assertThat(ContainerSpecs.build(overridden, container(overridden, "app")).memoryBytes())
                .isEqualTo(1024 * MIB);
        assertThat(ContainerSpecs.build(ownLimit, container(ownLimit, "app")).memoryBytes()).isEqualTo(64 * MIB);
    }

    @Test
    void aContainerWithoutMemoryUnderATaskMemoryOfSeveralContainersIsRefusedNotRunUnbounded() throws Exception {
        // Given: a revision registered before RegisterTaskDefinition refused it (a service may still
        // start it): task memory, and one of three containers without memory of its own
        dev.berth.model.TaskDefinition pair = Fixtures.withTaskField(Fixtures.withContainerField(
                Fixtures.taskDefinition("essential-pair-task-definition.json"), "worker", "memory", null),
                "memory", "512");
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING, pair);

        // When / Then: the container is not created rather than run without a bound
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerSpecs.build(task, container(task, "worker")))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.reason())
                        .startsWith("CannotCreateContainerError: ").contains("worker").contains("memory"));
        assertThat(ContainerSpecs.build(task, container(task, "web")).memoryBytes()).isEqualTo(32 * MIB);
    }

    @Test
    void theTaskCpuIsTheCpuQuotaOfATasksOnlyContainerAsEcsTaskCgroupBoundsIt() throws Exception {
        // Given: a one-container task of 256 CPU units, RunTask's override of it, and a task of two
        dev.berth.model.TaskDefinition sleeper = Fixtures.withTaskField(Fixtures.sleeperTaskDefinition(), "cpu",
                "256");
        DesiredTask plain = Fixtures.desired("t1", 1, TaskStatus.RUNNING, sleeper);
        DesiredTask overridden = new DesiredTask(plain.schemaVersion(), plain.version(), plain.taskId(),
                plain.taskArn(), plain.cluster(), plain.instanceId(), sleeper,
                new dev.berth.model.TaskOverride(null, "1 vCPU", null), plain.desiredStatus(), plain.startedBy(),
                plain.group(), plain.createdAt(), null, null);
        DesiredTask pair = Fixtures.desired("t1", 1, TaskStatus.RUNNING,
                Fixtures.withTaskField(Fixtures.webTaskDefinition(), "cpu", "256"));

        // Then: a quarter of a CPU, then one; none for a task of two (placement only)
        assertThat(ContainerSpecs.build(plain, container(plain, "app")).nanoCpus()).isEqualTo(250_000_000L);
        assertThat(ContainerSpecs.build(overridden, container(overridden, "app")).nanoCpus())
                .isEqualTo(1_000_000_000L);
        assertThat(ContainerSpecs.build(pair, container(pair, "web")).nanoCpus()).isNull();
    }

    @Test
    void containerNamesStayUniquePerTaskAndContainerWhenCutToLength() {
        // Given: a family long enough to fill the name, and containers whose names share a long start
        String longFamily = "f".repeat(255);
        DesiredTask task = Fixtures.desired("9f1c2d3e4b5a69788796a5b4c3d2e1f0", 1, TaskStatus.RUNNING,
                Fixtures.withTaskField(Fixtures.webTaskDefinition(), "family", longFamily));
        String longContainer = "c".repeat(250);

        // When
        java.util.List<String> names = java.util.List.of(ContainerSpecs.containerName(task, "web"),
                ContainerSpecs.containerName(task, "sidecar"), ContainerSpecs.containerName(task, longContainer + "a"),
                ContainerSpecs.containerName(task, longContainer + "b"));

        // Then
        assertThat(names).doesNotHaveDuplicates().allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(200)
                .startsWith("berth-").endsWith("-9f1c2d3e4b5a69788796a5b4c3d2e1f0")
                .matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+"));
        assertThat(names.get(0)).isEqualTo("berth-" + "f".repeat(200 - 6 - "-3-web-".length() - 32)
                + "-3-web-9f1c2d3e4b5a69788796a5b4c3d2e1f0");
        assertThat(names.get(1)).endsWith("-3-sidecar-9f1c2d3e4b5a69788796a5b4c3d2e1f0");
        assertThat(ContainerSpecs.containerName(task, "web")).as("the same each time").isEqualTo(names.get(0));
    }

    @Test
    void containerNamesKeepOnlyWhatDockerAccepts() throws Exception {
        // Given
        DesiredTask task = Fixtures.desired("t1", 1, TaskStatus.RUNNING);

        // When
        String name = ContainerSpecs.containerName(task, "my app/v2");

        // Then
        assertThat(name).isEqualTo("berth-web-3-my-app-v2-t1").matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    }
}
