package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.DockerCli;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Kill -9 of the whole one-host Berth while a task runs: acknowledged writes survive, and the
 * restarted agent adopts the running container instead of starting a second one.
 */
class CrashRecoveryBinaryIT {

    @Test
    void aKilledBerthComesBackWithItsStateAndAdoptsTheRunningContainer() throws Exception {
        // Given: a one-host Berth running a task
        List<String> ports = BerthProcess.embeddedKafkaOnFreePorts();
        BerthProcess first = BerthProcess.start("crash-before", Map.of(), ports);
        String instanceId = null;
        try {
            String taskArn;
            String containerId;
            Task before;
            try (EcsClient ecs = first.ecs()) {
                await("the first Berth is ready").atMost(Duration.ofMinutes(3))
                        .failFast("Berth exited", first::assertRunning).ignoreExceptions()
                        .until(() -> !ecs.listContainerInstances(r -> r.cluster("default"))
                                .containerInstanceArns().isEmpty());
                ecs.registerTaskDefinition(r -> r.family("crash-sleeper").containerDefinitions(ContainerDefinition
                        .builder().name("main").image("berth-test/busybox:latest").memory(32)
                        .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").build()));
                taskArn = ecs.runTask(r -> r.taskDefinition("crash-sleeper")).tasks().get(0).taskArn();
                before = awaitStatus(ecs, taskArn, "RUNNING");
                containerId = before.containers().get(0).runtimeId();
            }
            instanceId = first.instanceId();

            // When every role dies at once and comes back on the same data dir
            first.kill();
            try (BerthProcess second = BerthProcess.start("crash-after", first.dataDir(), first.apiPort(), Map.of(),
                    ports); EcsClient ecs = second.ecs()) {

                // Then the task definition, the task and the container are all still there
                Task task = await("the task is known again").atMost(Duration.ofMinutes(3))
                        .failFast("Berth exited", second::assertRunning).ignoreExceptions()
                        .until(() -> ecs.describeTasks(r -> r.tasks(taskArn)).tasks().get(0),
                                t -> "RUNNING".equals(t.lastStatus()));
                assertThat(task.containers().get(0).runtimeId()).isEqualTo(containerId);
                assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("crash-sleeper")).taskDefinition()
                        .revision()).isEqualTo(1);
                assertThat(second.instanceId()).isEqualTo(instanceId);
                assertThat(DockerCli.containersOfInstance(instanceId)).containsExactly(containerId.substring(0, 12));

                // And it is still driven: StopTask stops the adopted container
                // (until the restarted scheduler is elected leader again it answers writes with
                // ServerException "Retry shortly", as a failover does; StopTask is idempotent)
                await("the restarted Berth takes StopTask").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1)).ignoreExceptionsInstanceOf(ServerException.class)
                        .until(() -> ecs.stopTask(r -> r.task(taskArn)).task() != null);
                Task stopped = awaitStatus(ecs, taskArn, "STOPPED");
                assertThat(stopped.containers().get(0).exitCode()).isZero();
                assertThat(stopped.startedAt()).as("what the agent reported before the kill is not rewritten")
                        .isEqualTo(before.startedAt());
            }
        } finally {
            first.kill();
            if (instanceId != null) {
                DockerCli.removeContainersOfInstance(instanceId);
            }
        }
    }

    private static Task awaitStatus(EcsClient ecs, String taskArn, String status) {
        return await("task reaches " + status).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> ecs.describeTasks(r -> r.tasks(taskArn)).tasks().get(0),
                        t -> status.equals(t.lastStatus()));
    }

}
