package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.DockerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Drives the packaged binary with its default roles (embedded Kafka, scheduler and agent in
 * one process), exactly as {@code java -jar} starts it, through the AWS SDK for Java v2,
 * against the real Docker engine.
 */
class StandaloneBinaryIT {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    private static BerthProcess berth;
    private static EcsClient ecs;
    private static int kafkaPort;
    private static int controllerPort;

    @BeforeAll
    static void startBerth() throws IOException {
        kafkaPort = BerthProcess.freePort();
        controllerPort = BerthProcess.freePort();
        // Only the embedded broker's ports, as an operator moves it off a taken 9092: the scheduler
        // and the agent follow it without being told.
        berth = BerthProcess.start("standalone-binary-it", Map.of(), List.of(
                "-Dberth.kafka.embedded.port=" + kafkaPort,
                "-Dberth.kafka.embedded.controller-port=" + controllerPort));
        ecs = berth.ecs();
    }

    @AfterAll
    static void stopBerth() throws Exception {
        if (ecs != null) {
            ecs.close();
        }
        if (berth != null) {
            berth.close();
            if (Files.exists(berth.dataDir().resolve("agent/instance-id"))) {
                DockerCli.removeContainersOfInstance(berth.instanceId());
            }
        }
    }

    @Test
    void aTaskRunsOnDockerAndStopsWithItsExitCode() throws Exception {
        // Given: the one-host Berth has registered this machine in the default cluster
        ContainerInstance instance = awaitRegisteredInstance();
        assertThat(instance.agentConnected()).isTrue();
        assertThat(instance.versionInfo().dockerVersion())
                .isEqualTo(DockerCli.run("version", "--format", "{{.Server.Version}}"));
        String taskDefinitionArn = ecs.registerTaskDefinition(r -> r.family("e2e-sleeper")
                .containerDefinitions(ContainerDefinition.builder()
                        .name("main")
                        .image(IMAGE)
                        .memory(64)
                        .cpu(128)
                        .essential(true)
                        .command("sh", "-c", "trap 'exit 42' TERM; while true; do sleep 1; done")
                        .environment(e -> e.name("GREETING").value("hello"))
                        .build()))
                .taskDefinition().taskDefinitionArn();

        // When
        RunTaskResponse run = ecs.runTask(r -> r.taskDefinition(taskDefinitionArn).startedBy("e2e"));

        // Then: it runs, and Docker has its container with Berth's labels
        assertThat(run.failures()).isEmpty();
        String taskArn = run.tasks().get(0).taskArn();
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        Task running = awaitStatus(taskArn, "RUNNING");
        Container container = running.containers().get(0);
        assertThat(container.runtimeId()).isNotBlank();
        String labels = DockerCli.run("inspect", "--format",
                "{{index .Config.Labels \"dev.berth.task-id\"}} {{index .Config.Labels \"dev.berth.container-name\"}} "
                        + "{{index .Config.Labels \"dev.berth.cluster\"}} {{.State.Running}}",
                container.runtimeId());
        assertThat(labels.trim()).isEqualTo(taskId + " main default true");
        assertThat(DockerCli.run("ps", "-q", "--no-trunc", "--filter", "label=dev.berth.task-id=" + taskId))
                .contains(container.runtimeId());

        // When
        ecs.stopTask(r -> r.task(taskArn).reason("end of the e2e test"));

        // Then
        Task stopped = awaitStatus(taskArn, "STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stoppedReason()).isEqualTo("end of the e2e test");
        assertThat(stopped.stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(42);
        assertThat(DockerCli.run("inspect", "--format", "{{.State.Running}}", container.runtimeId()).trim()).isEqualTo("false");
    }

    @Test
    void anImageThatCannotBeFoundStopsTheTaskWithCannotPullContainerError() {
        // Given
        awaitRegisteredInstance();
        String taskDefinitionArn = ecs.registerTaskDefinition(r -> r.family("e2e-missing-image")
                .containerDefinitions(ContainerDefinition.builder()
                        .name("main").image("berth-test/no-such-image:1").memory(32).build()))
                .taskDefinition().taskDefinitionArn();

        // When
        RunTaskResponse run = ecs.runTask(r -> r.taskDefinition(taskDefinitionArn));

        // Then
        Task stopped = awaitStatus(run.tasks().get(0).taskArn(), "STOPPED");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError");
        assertThat(stopped.stopCodeAsString()).isEqualTo("TaskFailedToStart");
    }

    @Test
    void noTaskIsPlacedOnAPortThatBerthsOwnProcessListensOn() {
        // Given: the one-host Berth listens on its API, management and broker ports on this host
        ContainerInstance instance = awaitRegisteredInstance();
        String taskDefinitionArn = ecs.registerTaskDefinition(r -> r.family("e2e-api-port")
                .containerDefinitions(ContainerDefinition.builder()
                        .name("main").image(IMAGE).memory(32).command("sleep", "60")
                        .portMappings(PortMapping.builder().containerPort(80).hostPort(berth.apiPort()).build())
                        .build()))
                .taskDefinition().taskDefinitionArn();

        // Then: the instance reports them among its ports in use
        assertThat(instance.remainingResources()).filteredOn(resource -> resource.name().equals("PORTS"))
                .singleElement().satisfies(ports -> assertThat(ports.stringSetValue()).contains(
                        String.valueOf(berth.apiPort()), String.valueOf(berth.managementPort()),
                        String.valueOf(kafkaPort), String.valueOf(controllerPort)));

        // When: a task asks for the API's port on the host
        RunTaskResponse run = ecs.runTask(r -> r.taskDefinition(taskDefinitionArn));

        // Then: it is not placed, for want of that port
        assertThat(run.tasks()).isEmpty();
        assertThat(run.failures()).singleElement().satisfies(failure -> assertThat(failure.reason())
                .isEqualTo("RESOURCE:PORTS"));
    }

    private static ContainerInstance awaitRegisteredInstance() {
        return await("the agent registers with the scheduler").atMost(START_LIMIT).failFast("Berth exited", berth::assertRunning)
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(() -> {
                    List<String> arns = ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns();
                    if (arns.isEmpty()) {
                        return null;
                    }
                    return ecs.describeContainerInstances(r -> r.cluster("default").containerInstances(arns))
                            .containerInstances().get(0);
                }, i -> i != null && i.agentConnected());
    }

    private static Task awaitStatus(String taskArn, String status) {
        return await("task " + taskArn + " reaches " + status).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ecs.describeTasks(r -> r.tasks(taskArn)).tasks().get(0),
                        t -> status.equals(t.lastStatus()));
    }

}
