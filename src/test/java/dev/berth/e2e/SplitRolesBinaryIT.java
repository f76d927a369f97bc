package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The production layout: a scheduler process and an agent process, each started alone with
 * {@code BERTH_ROLES} and {@code KAFKA_BOOTSTRAP_SERVERS} against a Kafka they do not own.
 * They share nothing but Kafka.
 */
class SplitRolesBinaryIT {

    @Test
    void aSchedulerAndAnAgentInSeparateProcessesMeetOnlyOnKafka() throws Exception {
        // Given: a Kafka cluster, and each role started alone against it
        Path machines = Files.createTempDirectory("berth-machines");
        Path thisMachine = Files.writeString(machines.resolve("this"), "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        try (TestKafka kafka = TestKafka.start();
                BerthProcess scheduler = BerthProcess.start("split-scheduler",
                        Map.of("BERTH_ROLES", "scheduler", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                        List.of());
                BerthProcess agent = BerthProcess.start("split-agent",
                        Map.of("BERTH_ROLES", "agent", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "ECS_CLUSTER", "split", "QUARKUS_HTTP_HOST_ENABLED", "false",
                                "BERTH_AGENT_MACHINE_ID_FILE", thisMachine.toString()),
                        List.of());
                EcsClient ecs = scheduler.ecs()) {
            try {
                // While the agent's cluster does not exist yet, its readiness answers DOWN and says why, probe
                // after probe, and its log says so once, not once a probe
                List<String> downProbes = new java.util.ArrayList<>();
                await("the agent's readiness names the missing cluster").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> downProbes.add(readiness(agent, 503))
                                && downProbes.get(downProbes.size() - 1).contains("does not exist"));
                for (int i = 0; i < 3; i++) {
                    downProbes.add(readiness(agent, 503));
                }

                // When the scheduler knows the agent's cluster
                await("the scheduler answers").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                        .until(() -> ecs.createCluster(r -> r.clusterName("split")).cluster() != null);

                // Then the agent registers through Kafka alone
                ContainerInstance instance = await("the agent registers").atMost(Duration.ofMinutes(2)).failFast("the agent exited", agent::assertRunning)
                        .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> describeFirst(ecs), i -> i != null && i.agentConnected());
                assertThat(instance.ec2InstanceId()).isNull();
                await("the agent is ready").atMost(Duration.ofMinutes(1)).ignoreExceptions()
                        .until(() -> readiness(agent, 200) != null);
                String agentLog = java.nio.file.Files.readString(agent.log());
                assertThat(agentLog).doesNotContain("SRHCK01001");
                List<String> downLines = agentLog.lines()
                        .filter(line -> line.contains("Health: agent is DOWN (readiness)")).toList();
                assertThat(downLines).as("one line a change, for %d probes that answered DOWN", downProbes.size())
                        .hasSizeBetween(1, downProbes.size() - 3);
                assertThat(downLines.get(downLines.size() - 1)).contains("registration=cluster split does not exist");
                assertThat(agentLog).contains("Health: agent is UP again (readiness)");
                assertThat(instance.containerInstanceArn()).endsWith("/split/" + agent.instanceId());
                // with the agent as its unit ships it: no HTTP listener, and its management port kept from tasks
                assertThat(instance.registeredResources()).filteredOn(resource -> resource.name().equals("PORTS"))
                        .singleElement().satisfies(ports -> assertThat(ports.stringSetValue())
                                .contains(String.valueOf(agent.managementPort()))
                                .doesNotContain(String.valueOf(agent.apiPort())));
                assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", agent.apiPort()).close())
                        .isInstanceOf(java.net.ConnectException.class);

                // And a task placed by one process runs in the other
                String family = ecs.registerTaskDefinition(r -> r.family("split-sleeper")
                        .containerDefinitions(ContainerDefinition.builder().name("main")
                                .image("berth-test/busybox:latest").memory(32)
                                .command("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done").build()))
                        .taskDefinition().family();
                String taskArn = ecs.runTask(r -> r.cluster("split").taskDefinition(family)).tasks().get(0).taskArn();
                Task running = await().atMost(Duration.ofMinutes(2)).until(
                        () -> ecs.describeTasks(r -> r.cluster("split").tasks(taskArn)).tasks().get(0),
                        t -> "RUNNING".equals(t.lastStatus()));
                assertThat(running.containers().get(0).runtimeId()).isNotBlank();

                // When the agent's host is cloned, its data directory with it, and the clone starts its agent
                Path clonedData = Files.createTempDirectory("berth-split-clone");
                copy(agent.dataDir(), clonedData);
                Path otherMachine = Files.writeString(machines.resolve("other"), "0123456789abcdef0123456789abcdef\n");
                try (BerthProcess clone = BerthProcess.start("split-clone", clonedData, BerthProcess.freePort(),
                        Map.of("BERTH_ROLES", "agent", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "ECS_CLUSTER", "split", "QUARKUS_HTTP_HOST_ENABLED", "false",
                                "BERTH_AGENT_MACHINE_ID_FILE", otherMachine.toString()),
                        List.of())) {
                    // Then the clone registers as a container instance of its own, and runs no copy of the task
                    await("the clone ready").atMost(Duration.ofMinutes(2)).failFast("the clone exited", clone::assertRunning)
                            .ignoreExceptions()
                            .until(() -> readiness(clone, 200) != null);
                    assertThat(clone.instanceId()).isNotEqualTo(agent.instanceId());
                    // (ready once Kafka took its registration; the scheduler reads it a moment later)
                    await("the scheduler lists the clone").atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                            assertThat(ecs.listContainerInstances(r -> r.cluster("split")).containerInstanceArns())
                                    .hasSize(2).anySatisfy(arn -> assertThat(arn).endsWith("/" + clone.instanceId())));
                    assertThat(DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-arn=" + taskArn))
                            .as("containers of the task").hasSize(1);
                    assertThat(ecs.describeTasks(r -> r.cluster("split").tasks(taskArn)).tasks().get(0).lastStatus())
                            .isEqualTo("RUNNING");
                    assertThat(Files.readString(clone.log())).contains("is a copy of another host's agent state");
                    DockerCli.removeContainersOfInstance(clone.instanceId());
                }

                ecs.stopTask(r -> r.cluster("split").task(taskArn));
                Task stopped = await().atMost(Duration.ofMinutes(2)).until(
                        () -> ecs.describeTasks(r -> r.cluster("split").tasks(taskArn)).tasks().get(0),
                        t -> "STOPPED".equals(t.lastStatus()));
                assertThat(stopped.containers().get(0).exitCode()).isZero();
                assertThat(scheduler.isAlive()).isTrue();
                assertThat(agent.isAlive()).isTrue();

                // And each stops cleanly on SIGTERM: no error about the role it does not run
                scheduler.close();
                agent.close();
                assertThat(java.nio.file.Files.readString(scheduler.log())).doesNotContain(" ERROR [");
                assertThat(java.nio.file.Files.readString(agent.log())).doesNotContain(" ERROR [");
            } finally {
                DockerCli.removeContainersOfInstance(agent.instanceId());
            }
        }
    }

    /** A copy of {@code from} (a data directory) in the empty directory {@code to}. */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // an acknowledged state change, deleted while it was copied: as a disk image would miss it
                    }
                }
            }
        }
    }

    /** The body of the process's readiness probe, which must answer {@code status}. */
    private static String readiness(BerthProcess process, int status) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + process.managementPort()
                        + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }

    private static ContainerInstance describeFirst(EcsClient ecs) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster("split")).containerInstanceArns();
        if (arns.isEmpty()) {
            return null;
        }
        return ecs.describeContainerInstances(r -> r.cluster("split").containerInstances(arns)).containerInstances()
                .get(0);
    }

}
