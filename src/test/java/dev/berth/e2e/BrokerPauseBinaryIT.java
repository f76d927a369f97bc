package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.DockerCli;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.ServerException;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The Kafka broker freezes (SIGSTOP) for longer than a write may wait, under a running
 * scheduler and agent, and a RunTask arrives meanwhile. The call gets a retryable
 * ServerException instead of hanging, and never a claim that nothing changed when that is not
 * certain; once the broker runs again, the scheduler leads again without a restart, the same
 * call retried with its clientToken places exactly one task, and the task that ran before the
 * freeze is still the same container.
 */
class BrokerPauseBinaryIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** The scheduler gives up on a transaction after the Kafka send timeout (15 s): this leaves room for a slow machine. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(90);
    private static final String FAMILY = "pause-sleeper";

    @Test
    void aWriteDuringABrokerFreezeFailsRetryablyAndItsRetryPlacesOneTask() throws Exception {
        int kafkaPort = BerthProcess.freePort();
        List<String> brokerPorts = List.of("-Dberth.kafka.embedded.port=" + kafkaPort,
                "-Dberth.kafka.embedded.controller-port=" + BerthProcess.freePort());
        String instanceId = null;
        try (BerthProcess broker = BerthProcess.start("pause-broker", Map.of("BERTH_ROLES", "kafka"), brokerPorts);
                BerthProcess berth = BerthProcess.start("pause-berth", Map.of("BERTH_ROLES", "scheduler,agent",
                        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort), List.of());
                EcsClient ecs = berth.ecs();
                EcsClient once = berth.ecsWithoutRetries()) {
            // Given: a task running on the host, through a broker in its own process
            await("Berth is ready").atMost(PATIENCE).failFast("Berth exited", berth::assertRunning).ignoreExceptions()
                    .until(() -> !ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns().isEmpty());
            instanceId = berth.instanceId();
            ecs.registerTaskDefinition(r -> r.family(FAMILY).containerDefinitions(ContainerDefinition.builder()
                    .name("main").image("berth-test/busybox:latest").memory(32)
                    .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").build()));
            String firstArn = ecs.runTask(r -> r.taskDefinition(FAMILY)).tasks().get(0).taskArn();
            Task first = awaitStatus(ecs, firstArn, "RUNNING");
            Consumer<RunTaskRequest.Builder> paused = r -> r.taskDefinition(FAMILY).clientToken("during-the-freeze")
                    .startedBy("during-the-freeze");

            // When: the broker freezes, and a RunTask arrives meanwhile
            broker.pause();
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> once.runTask(paused)));

            // Then: the call is answered while the broker is still frozen (it resumes only after),
            // with a retryable error that claims no certainty it does not have: the write was
            // attempted, so its outcome is unknown, unless the call was refused before writing
            Throwable error = await("the call is answered during the freeze").atMost(ANSWER_WITHIN)
                    .until(call::get, e -> true);
            broker.resume();
            assertThat(error).isInstanceOf(ServerException.class);
            assertThat(error.getMessage()).containsAnyOf("may or may not have been applied",
                    "handing over its leadership", "is not the leader", "still catching up");

            // and once it runs again: the same call, retried with its token, places exactly one task
            String retriedArn = await("the retried call succeeds").atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsInstanceOf(ServerException.class)
                    .until(() -> once.runTask(paused).tasks().get(0).taskArn(), arn -> arn != null);
            assertThat(once.runTask(paused).tasks().get(0).taskArn()).isEqualTo(retriedArn);
            assertThat(ecs.listTasks(r -> r.startedBy("during-the-freeze")).taskArns()).containsExactly(retriedArn);
            awaitStatus(ecs, retriedArn, "RUNNING");

            // the task from before the freeze is the same container, and the agent is connected again
            Task after = ecs.describeTasks(r -> r.tasks(firstArn)).tasks().get(0);
            assertThat(after.lastStatus()).isEqualTo("RUNNING");
            assertThat(after.containers().get(0).runtimeId()).isEqualTo(first.containers().get(0).runtimeId());
            assertThat(after.startedAt()).isEqualTo(first.startedAt());
            String instanceArn = ecs.listContainerInstances(r -> r.cluster("default")).containerInstanceArns().get(0);
            await("the agent shows connected").atMost(PATIENCE).untilAsserted(() -> {
                ContainerInstance instance = ecs.describeContainerInstances(r -> r.containerInstances(instanceArn))
                        .containerInstances().get(0);
                assertThat(instance.agentConnected()).isTrue();
                assertThat(instance.runningTasksCount()).isEqualTo(2);
            });
            assertThat(berth.isAlive()).as("the scheduler and agent ran through it").isTrue();
        } finally {
            if (instanceId != null) {
                DockerCli.removeContainersOfInstance(instanceId);
            }
        }
    }

    private static Task awaitStatus(EcsClient ecs, String taskArn, String status) {
        return await("task reaches " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(ServerException.class)
                .until(() -> ecs.describeTasks(r -> r.tasks(taskArn)).tasks().get(0),
                        t -> status.equals(t.lastStatus()));
    }
}
