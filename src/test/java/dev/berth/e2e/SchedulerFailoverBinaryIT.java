package dev.berth.e2e;

import dev.berth.testing.AgentAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Three scheduler replicas of the packaged binary against one real broker, driven with the
 * AWS SDK through every replica: one leads, writes from any replica land exactly once, and
 * the leadership moves on kill -9 and on a pause, after which the paused leader is fenced.
 */
class SchedulerFailoverBinaryIT {

    /** The broker's smallest session timeout: failovers in this test take about this long. */
    private static final String SESSION_TIMEOUT = "6s";
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String CLUSTER = "ha";
    private static final int INSTANCE_MEMORY = 1024;
    private static final int TASK_MEMORY = 256;

    private final RecordCodec codec = new RecordCodec();

    @Test
    void oneLeaderAtATimeThroughConcurrentWritesKillAndPause() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            List<BerthProcess> replicas = new ArrayList<>();
            List<EcsClient> clients = new ArrayList<>();
            try {
                // Given: three replicas, and three instances with room for four tasks each
                for (int i = 0; i < 3; i++) {
                    int port = BerthProcess.freePort();
                    replicas.add(BerthProcess.start("ha-scheduler-" + i, Files.createTempDirectory("berth-ha"), port,
                            Map.of("BERTH_ROLES", "scheduler", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                    "BERTH_SCHEDULER_ADVERTISED_URL", "http://127.0.0.1:" + port,
                                    "BERTH_SCHEDULER_SESSION_TIMEOUT", SESSION_TIMEOUT,
                                    "BERTH_SCHEDULER_AGENT_HEARTBEAT_TIMEOUT", "1h"),
                            List.of()));
                }
                for (BerthProcess replica : replicas) {
                    EcsClient ecs = replica.ecs();
                    clients.add(ecs);
                    await("replica " + replica.apiPort() + " answers").atMost(PATIENCE).ignoreExceptions()
                            .until(() -> ecs.listClusters().clusterArns() != null);
                }
                LeaderRecord first = awaitLeader(kafka, null);
                clients.get(1).createCluster(r -> r.clusterName(CLUSTER));
                clients.get(2).createCluster(r -> r.clusterName("ha-tokens"));
                clients.get(0).createCluster(r -> r.clusterName("ha-service"));
                for (int i = 0; i < 3; i++) {
                    register(kafka, "i-ha-" + i, CLUSTER, INSTANCE_MEMORY);
                }
                register(kafka, "i-tokens", "ha-tokens", 64 * INSTANCE_MEMORY);
                register(kafka, "i-service", "ha-service", 64 * INSTANCE_MEMORY);
                await().atMost(PATIENCE).until(() -> clients.stream().allMatch(c -> c.listContainerInstances(
                        r -> r.cluster(CLUSTER)).containerInstanceArns().size() == 3));

                // When: every replica registers and runs at once, 15 times in all
                concurrentlyRegisterAndRun(clients);

                // Then: no revision twice, and no instance holds more than it has
                assertRevisions(clients.get(0), 15);
                Map<String, Integer> perInstance = tasksPerInstance(clients.get(0));
                assertThat(perInstance).hasSize(3).allSatisfy((arn, count) ->
                        assertThat(count).as(arn).isEqualTo(INSTANCE_MEMORY / TASK_MEMORY));

                // And: a RunTask with a client token, answered before the failover
                RunTaskResponse before = clients.get(2).runTask(r -> r.cluster("ha-tokens")
                        .taskDefinition("ha-web").count(2).clientToken("across-the-failover"));
                assertThat(before.tasks()).hasSize(2);

                // And: a service of four, placed before the failover (no agent runs them: they stay PENDING)
                clients.get(1).createService(r -> r.cluster("ha-service").serviceName("ha-svc")
                        .taskDefinition("ha-web").desiredCount(4));
                await("the service's tasks are placed").atMost(PATIENCE).until(() -> clients.get(0)
                        .listTasks(r -> r.cluster("ha-service").serviceName("ha-svc")).taskArns().size() == 4);

                // And: a rolling deployment under way. The old tasks never ran (not healthy), so they are stopped
                // and four new ones placed; none of those is healthy either, so the rollout stays IN_PROGRESS
                String firstDeployment = primary(clients.get(0)).id();
                clients.get(2).updateService(r -> r.cluster("ha-service").service("ha-svc").forceNewDeployment(true));
                await("the new deployment's tasks are placed").atMost(PATIENCE).until(() -> !primary(clients.get(0))
                        .id().equals(firstDeployment) && primary(clients.get(0)).pendingCount() == 4);
                String rollingDeployment = primary(clients.get(0)).id();

                // When: the leader dies at once
                int leader = SchedulerLeaders.indexOf(replicas, first);
                long killedAt = System.nanoTime();
                replicas.get(leader).kill();
                EcsClient survivor = clients.get((leader + 1) % 3);
                await("a write succeeds after kill -9").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> survivor.createCluster(r -> r.clusterName("after-kill"))
                                .cluster() != null);
                long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
                LeaderRecord second = awaitLeader(kafka, first);
                System.out.printf("failover after kill -9 of the leader: writes succeed again after %d ms%n",
                        failoverMillis);

                // Then: a retry with the same token, through another replica and leader, acts once
                RunTaskResponse retried = survivor.runTask(r -> r.cluster("ha-tokens")
                        .taskDefinition("ha-web").count(2).clientToken("across-the-failover"));
                assertThat(retried.tasks()).extracting(Task::taskArn)
                        .containsExactlyElementsOf(before.tasks().stream().map(Task::taskArn).toList());
                assertThat(survivor.listTasks(r -> r.cluster("ha-tokens")).taskArns()).hasSize(2);

                // And: the new leader's service passes (one at least every 12 s) go on with the rollout where it
                // was: they place none of its tasks again
                await("the service keeps its four tasks").during(Duration.ofSeconds(13)).atMost(PATIENCE)
                        .until(() -> survivor.listTasks(r -> r.cluster("ha-service").serviceName("ha-svc"))
                                .taskArns().size() == 4);
                assertThat(primary(survivor)).extracting(d -> d.id(), d -> d.pendingCount(), d -> d.rolloutStateAsString())
                        .containsExactly(rollingDeployment, 4, "IN_PROGRESS");

                // When: the second leader freezes, and the group moves on without it
                int paused = SchedulerLeaders.indexOf(replicas, second);
                int third = 3 - leader - paused;
                replicas.get(paused).pause();
                LeaderRecord last = awaitLeader(kafka, second);
                assertThat(last.apiUrl()).isEqualTo("http://127.0.0.1:" + replicas.get(third).apiPort());
                clients.get(third).registerTaskDefinition(r -> r.family("ha-web").containerDefinitions(web()));

                // And it wakes up unaware
                replicas.get(paused).resume();

                // Then: it steps down; its writes go to the new leader, and it writes nothing of its own
                await("the paused leader steps down").atMost(PATIENCE).until(() ->
                        Files.readString(replicas.get(paused).log()).contains("No longer the leader"));
                int revision = clients.get(paused).registerTaskDefinition(r -> r.family("ha-web")
                        .containerDefinitions(web())).taskDefinition().revision();
                assertThat(revision).isEqualTo(17);
                assertRevisions(clients.get(third), 17);
                assertThat(SchedulerLeaders.latest(kafka).replicaId()).isEqualTo(last.replicaId());
            } finally {
                clients.forEach(EcsClient::close);
                for (BerthProcess replica : replicas) {
                    replica.close();
                }
            }
        }
    }

    /** The service's PRIMARY deployment. */
    private static software.amazon.awssdk.services.ecs.model.Deployment primary(EcsClient ecs) {
        return ecs.describeServices(r -> r.cluster("ha-service").services("ha-svc")).services().get(0).deployments()
                .stream().filter(d -> d.status().equals("PRIMARY")).findFirst().orElseThrow();
    }

    private void concurrentlyRegisterAndRun(List<EcsClient> clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (EcsClient ecs : clients) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        ecs.registerTaskDefinition(r -> r.family("ha-web").containerDefinitions(web()));
                        ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("ha-web"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ContainerDefinition web() {
        return ContainerDefinition.builder().name("web").image("berth-test/busybox:latest").memory(TASK_MEMORY)
                .cpu(128).build();
    }

    private static void assertRevisions(EcsClient ecs, int count) {
        List<String> arns = ecs.listTaskDefinitions(r -> r.familyPrefix("ha-web")).taskDefinitionArns();
        List<String> expected = new ArrayList<>();
        for (int revision = 1; revision <= count; revision++) {
            expected.add("ha-web:" + revision);
        }
        assertThat(arns).extracting(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static Map<String, Integer> tasksPerInstance(EcsClient ecs) {
        List<String> arns = ecs.listTasks(r -> r.cluster(CLUSTER)).taskArns();
        Map<String, Integer> counts = new HashMap<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> page = arns.subList(from, Math.min(arns.size(), from + 100));
            for (Task task : ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(page)).tasks()) {
                counts.merge(task.containerInstanceArn(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private void register(TestKafka kafka, String instanceId, String cluster, int memory) {
        Instant now = Instant.now();
        InstanceRegistration registration = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, instanceId,
                cluster, instanceId + ".test", "test", new Resources(4096, memory, Set.of(22)),
                AgentAttributes.DEFAULT, now, now, false, null, null, null);
        TopicRecords.send(kafka.bootstrapServers(), "berth.instances", instanceId,
                new String(codec.encode(registration), StandardCharsets.UTF_8));
    }

    private LeaderRecord awaitLeader(TestKafka kafka, LeaderRecord previous) {
        return await("a leader other than " + (previous == null ? "none" : previous.apiUrl())).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200)).until(() -> SchedulerLeaders.latest(kafka),
                        l -> l != null && (previous == null || !l.replicaId().equals(previous.replicaId())));
    }
}
