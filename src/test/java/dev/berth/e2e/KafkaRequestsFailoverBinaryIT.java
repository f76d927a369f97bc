package dev.berth.e2e;

import dev.berth.testing.AgentAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.kafka.RequestTopics;
import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * berth.requests through kill -9 of the leader, again and again, with two packaged schedulers
 * on one real broker: a stream of RunTask and RegisterTaskDefinition requests is being served
 * when the leader dies, and the killed replica comes back. Every request is answered exactly
 * once and acts exactly once, whether the leader died before a request's plan, between its
 * plan and its answer, or after both. (Where a kill lands is chance; the output says how many
 * requests were read again after acting. KafkaRequestsIT covers that case deterministically.)
 */
class KafkaRequestsFailoverBinaryIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String CLUSTER = "kreq";
    private static final String FAMILY = "kreq-once";
    /** Requests of each kind: RunTask (one task each) and RegisterTaskDefinition (one revision each). */
    private static final int EACH = 120;
    private static final int KILLS = 3;
    private static final Map<String, String> SCHEDULER = Map.of("BERTH_ROLES", "scheduler",
            "BERTH_SCHEDULER_SESSION_TIMEOUT", "6s", "BERTH_SCHEDULER_AGENT_HEARTBEAT_TIMEOUT", "1h");

    private final List<Path> logs = new ArrayList<>();

    private final RecordCodec codec = new RecordCodec();

    @Test
    void everyRequestActsOnceAndIsAnsweredOnceThroughAKillOfTheLeader() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            List<BerthProcess> replicas = new ArrayList<>();
            List<Path> dataDirs = new ArrayList<>();
            try {
                // Given: two scheduler replicas, a cluster with room for every task, and a task definition
                for (int i = 0; i < 2; i++) {
                    dataDirs.add(Files.createTempDirectory("berth-kreq"));
                    replicas.add(start(kafka, i, dataDirs.get(i), BerthProcess.freePort()));
                }
                EcsClient ecs = replicas.get(0).ecs();
                await("the API answers").atMost(PATIENCE).ignoreExceptions()
                        .until(() -> ecs.listClusters().clusterArns() != null);
                LeaderRecord leader = awaitLeader(kafka, null);
                ecs.createCluster(r -> r.clusterName(CLUSTER));
                register(kafka, "i-kreq", CLUSTER);
                ecs.registerTaskDefinition(r -> r.family("kreq-web").containerDefinitions(c -> c.name("web")
                        .image("busybox").memory(16).cpu(1)));
                await().atMost(PATIENCE).until(() -> ecs.listContainerInstances(r -> r.cluster(CLUSTER))
                        .containerInstanceArns().size() == 1);

                try (RequestTopics topics = new RequestTopics(kafka.bootstrapServers())) {
                    // When: the requests are sent in one wave per kill, all at once, and the leader is
                    // killed once it has answered a few of its wave: while it serves the rest
                    List<Integer> answeredAtKills = new ArrayList<>();
                    int perWave = EACH / KILLS;
                    for (int kill = 1; kill <= KILLS; kill++) {
                        int sentBefore = 2 * perWave * (kill - 1);
                        for (int i = perWave * (kill - 1); i < perWave * kill; i++) {
                            topics.requestWithoutWaiting("run-" + i, "RunTask", "{\"cluster\":\"" + CLUSTER
                                    + "\",\"taskDefinition\":\"kreq-web\",\"startedBy\":\"kreq\"}");
                            topics.requestWithoutWaiting("reg-" + i, "RegisterTaskDefinition", "{\"family\":\""
                                    + FAMILY + "\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\","
                                    + "\"memory\":16,\"environment\":[{\"name\":\"N\",\"value\":\"" + i + "\"}]}]}");
                        }
                        topics.flush();
                        await("the leader serves the requests").atMost(PATIENCE).pollInterval(Duration.ofMillis(10))
                                .until(() -> topics.allResponses().size() > sentBefore);
                        int dying = SchedulerLeaders.indexOf(replicas, leader);
                        replicas.get(dying).kill();
                        answeredAtKills.add(topics.allResponses().size());
                        // the other replica takes over; then the killed one comes back, to be killed when it leads
                        leader = awaitLeader(kafka, leader);
                        replicas.set(dying, start(kafka, dying, dataDirs.get(dying), replicas.get(dying).apiPort()));
                    }

                    // Then: every request is answered
                    await("every request is answered").atMost(PATIENCE).until(topics::allAnswered);
                    Map<String, List<JsonNode>> responses = await().atMost(PATIENCE)
                            .until(topics::allResponses, r -> r.size() == 2 * EACH);

                    // And each request got exactly one response
                    assertThat(responses).allSatisfy((id, answers) -> assertThat(answers).as(id).hasSize(1));

                    // And each RunTask started exactly one task, and answered it
                    Set<String> answeredTasks = new HashSet<>();
                    for (int i = 0; i < EACH; i++) {
                        JsonNode answer = responses.get("run-" + i).get(0);
                        assertThat(answer.path("statusCode").asInt()).as("run-" + i).isEqualTo(200);
                        assertThat(answer.path("body").path("tasks")).as("run-" + i).hasSize(1);
                        answeredTasks.add(answer.path("body").path("tasks").get(0).path("taskArn").asText());
                    }
                    EcsClient survivor = replicas.get(SchedulerLeaders.indexOf(replicas, leader)).ecs();
                    List<String> tasks = survivor.listTasksPaginator(r -> r.cluster(CLUSTER)).taskArns().stream()
                            .toList();
                    assertThat(tasks).hasSize(EACH);
                    assertThat(new HashSet<>(tasks)).isEqualTo(answeredTasks);

                    // And each RegisterTaskDefinition registered exactly one revision
                    List<String> revisions = survivor.listTaskDefinitionsPaginator(r -> r.familyPrefix(FAMILY))
                            .taskDefinitionArns().stream().toList();
                    assertThat(revisions).hasSize(EACH);
                    for (int i = 0; i < EACH; i++) {
                        JsonNode answer = responses.get("reg-" + i).get(0);
                        assertThat(answer.path("statusCode").asInt()).as("reg-" + i).isIn(200, 500);
                        if (answer.path("statusCode").asInt() == 500) {
                            assertThat(answer.path("body").path("message").asText()).contains("was carried out");
                        }
                    }
                    int readAgain = 0;
                    for (Path log : logs) {
                        readAgain += Files.readString(log).split("acted before its answer was committed", -1).length - 1;
                    }
                    int split = 0;
                    for (Path log : logs) {
                        split += Files.readString(log).split("their plans commit without their answers", -1).length - 1;
                    }
                    System.out.printf("kill -9 of the leader after %s of %d answers (%d sent per wave); requests read "
                            + "again after their plan was committed and before their answer was: %d; transactions whose "
                            + "plans committed without their answers: %d%n", answeredAtKills, 2 * EACH, 2 * perWave,
                            readAgain, split);
                }
            } finally {
                for (BerthProcess replica : replicas) {
                    replica.close();
                }
            }
        }
    }

    private BerthProcess start(TestKafka kafka, int replica, Path dataDir, int port) throws IOException {
        Map<String, String> env = new HashMap<>(SCHEDULER);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BERTH_SCHEDULER_ADVERTISED_URL", "http://127.0.0.1:" + port);
        env.put("BERTH_SCHEDULER_REPLICA_ID", "kreq-" + replica);
        BerthProcess process = BerthProcess.start("kreq-scheduler-" + replica + "-" + logs.size(), dataDir, port, env,
                List.of());
        logs.add(process.log());
        return process;
    }

    private void register(TestKafka kafka, String instanceId, String cluster) {
        Instant now = Instant.now();
        InstanceRegistration registration = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, instanceId,
                cluster, instanceId + ".test", "test", new Resources(64 * 1024, 64 * 1024, Set.of(22)),
                AgentAttributes.DEFAULT, now, now, false, null, null, null);
        TopicRecords.send(kafka.bootstrapServers(), "berth.instances", instanceId,
                new String(codec.encode(registration), StandardCharsets.UTF_8));
    }

    private LeaderRecord awaitLeader(TestKafka kafka, LeaderRecord previous) {
        return await("a leader other than " + (previous == null ? "none" : previous.apiUrl())).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200)).until(() -> SchedulerLeaders.latest(kafka),
                        l -> l != null && (previous == null || l.version() > previous.version()));
    }
}
