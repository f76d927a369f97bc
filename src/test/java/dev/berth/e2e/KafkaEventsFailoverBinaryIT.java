package dev.berth.e2e;

import dev.berth.testing.AgentAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.kafka.EventTopic;
import dev.berth.api.kafka.PublicSchemas;
import dev.berth.api.kafka.RequestTopics;
import dev.berth.model.ContainerStatus;
import dev.berth.model.Resources;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * berth.events through kill -9 of the leader, twice, and a freeze (SIGSTOP) of the next one, with
 * two packaged schedulers on one real broker.
 * The test plays a hollow agent: it reports each task PENDING, RUNNING and STOPPED on
 * berth.task-events, each report once the task's previous event is on berth.events (so every
 * report is folded after its task's desired record, and each change is one version), while the
 * leader is killed twice and comes back, and the next one is frozen until the other leads, then
 * resumed (its open transaction must never commit). Every task must then show, on berth.events read
 * committed, exactly one event per version from its first to DescribeTasks' version, in order:
 * none skipped across a failover and none repeated.
 */
class KafkaEventsFailoverBinaryIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String CLUSTER = "kev";
    private static final String INSTANCE = "i-kev";
    private static final int TASKS = 30;
    private static final int KILLS = 2;
    private static final Map<String, String> SCHEDULER = Map.of("BERTH_ROLES", "scheduler",
            "BERTH_SCHEDULER_SESSION_TIMEOUT", "6s", "BERTH_SCHEDULER_AGENT_HEARTBEAT_TIMEOUT", "1h",
            "BERTH_SCHEDULER_INSTANCE_LOST_AFTER", "2h");
    private static final List<TaskStatus> REPORTS = List.of(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPED);

    private final RecordCodec codec = new RecordCodec();
    private final List<Path> logs = new ArrayList<>();

    @Test
    void everyTaskChangeIsOneEventThroughKillsAndAFreezeOfTheLeader() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            List<BerthProcess> replicas = new ArrayList<>();
            List<Path> dataDirs = new ArrayList<>();
            try {
                // Given: two scheduler replicas, an instance with room for every task, and a task definition
                for (int i = 0; i < 2; i++) {
                    dataDirs.add(Files.createTempDirectory("berth-kev"));
                    replicas.add(start(kafka, i, dataDirs.get(i), BerthProcess.freePort()));
                }
                EcsClient ecs = replicas.get(0).ecs();
                await("the API answers").atMost(PATIENCE).ignoreExceptions()
                        .until(() -> ecs.listClusters().clusterArns() != null);
                LeaderRecord leader = awaitLeader(kafka, null);
                ecs.createCluster(r -> r.clusterName(CLUSTER));
                register(kafka);
                ecs.registerTaskDefinition(r -> r.family("kev-web").containerDefinitions(c -> c.name("web")
                        .image("busybox").memory(16).cpu(1)));
                await().atMost(PATIENCE).until(() -> ecs.listContainerInstances(r -> r.cluster(CLUSTER))
                        .containerInstanceArns().size() == 1);

                try (RequestTopics topics = new RequestTopics(kafka.bootstrapServers());
                        EventTopic events = new EventTopic(kafka.bootstrapServers())) {
                    for (int i = 0; i < TASKS; i++) {
                        topics.request("kev-run-" + i, "RunTask", "{\"cluster\":\"" + CLUSTER
                                + "\",\"taskDefinition\":\"kev-web\",\"startedBy\":\"kev\"}");
                    }
                    Map<String, List<JsonNode>> responses = await("every RunTask is answered").atMost(PATIENCE)
                            .until(topics::allResponses, r -> r.size() == TASKS);
                    Map<String, Integer> reported = new LinkedHashMap<>();
                    for (List<JsonNode> answers : responses.values()) {
                        reported.put(answers.get(0).path("body").path("tasks").get(0).path("taskArn").asText(), 0);
                    }

                    // When: the hollow agent reports every task through, and the leader is killed twice meanwhile
                    int kills = 0;
                    boolean paused = false;
                    int total = TASKS * REPORTS.size();
                    long deadline = System.nanoTime() + PATIENCE.toNanos();
                    while (reported.values().stream().mapToInt(Integer::intValue).sum() < total) {
                        assertThat(System.nanoTime()).as("every report sent within %s", PATIENCE).isLessThan(deadline);
                        advance(kafka, events, reported);
                        int done = reported.values().stream().mapToInt(Integer::intValue).sum();
                        if (kills < KILLS && done >= (kills + 1) * total / (KILLS + 1)) {
                            int dying = SchedulerLeaders.indexOf(replicas, leader);
                            replicas.get(dying).kill();
                            kills++;
                            System.out.printf("kill -9 of the leader after %d of %d reports%n", done, total);
                            leader = awaitLeader(kafka, leader);
                            replicas.set(dying, start(kafka, dying, dataDirs.get(dying),
                                    replicas.get(dying).apiPort()));
                        } else if (!paused && kills == KILLS && done >= total - TASKS / 2) {
                            // And the last leader freezes (SIGSTOP) until the other leads, then wakes up unaware
                            int frozen = SchedulerLeaders.indexOf(replicas, leader);
                            replicas.get(frozen).pause();
                            paused = true;
                            System.out.printf("SIGSTOP of the leader after %d of %d reports%n", done, total);
                            leader = awaitLeader(kafka, leader);
                            replicas.get(frozen).resume();
                            Path log = replicas.get(frozen).log();
                            await("the frozen leader steps down").atMost(PATIENCE)
                                    .until(() -> Files.readString(log).contains("No longer the leader"));
                        }
                    }

                    // Then: each task's last event is at the version DescribeTasks shows once the task is
                    // stopped and the scheduler has made its desired status STOPPED too (its last change)
                    EcsClient survivor = replicas.get(SchedulerLeaders.indexOf(replicas, leader)).ecs();
                    Map<String, Long> described = new HashMap<>();
                    for (String arn : reported.keySet()) {
                        described.put(arn, await().atMost(PATIENCE).until(() -> survivor.describeTasks(r -> r
                                .cluster(CLUSTER).tasks(arn)).tasks().get(0), t -> t.lastStatus().equals("STOPPED")
                                        && t.desiredStatus().equals("STOPPED")).version());
                    }
                    await("every task's last change is on berth.events").atMost(PATIENCE).until(() -> reported
                            .keySet().stream().allMatch(arn -> lastVersion(events.of(arn)) >= described.get(arn)));

                    // And each task has exactly one event per version, in order, from the placement to the last
                    for (String arn : reported.keySet()) {
                        List<EventTopic.Received> seen = events.of(arn);
                        List<Long> versions = seen.stream().map(e -> e.detail().path("version").asLong()).toList();
                        List<Long> expected = new ArrayList<>();
                        for (long v = 1; v <= described.get(arn); v++) {
                            expected.add(v);
                        }
                        assertThat(versions).as(arn).isEqualTo(expected);
                        assertThat(seen.stream().map(e -> e.detail().path("lastStatus").asText()).toList()).as(arn)
                                .startsWith("PENDING", "PENDING", "RUNNING", "STOPPED");
                        assertThat(seen).allSatisfy(e -> PublicSchemas.assertMatches("event", e.raw()));
                    }
                }
            } finally {
                for (BerthProcess replica : replicas) {
                    replica.close();
                }
            }
        }
    }

    /**
     * Sends the next report of every task whose last event shows the report before it (or its
     * placement); returns how many were sent. Reading the events waits up to a poll.
     */
    private int advance(TestKafka kafka, EventTopic events, Map<String, Integer> reported) {
        Map<String, Long> last = new HashMap<>();
        for (EventTopic.Received event : events.all()) {
            last.put(event.key(), event.detail().path("version").asLong());
        }
        int sent = 0;
        for (Map.Entry<String, Integer> task : reported.entrySet()) {
            int next = task.getValue();
            if (next >= REPORTS.size() || last.getOrDefault(task.getKey(), 0L) != 1 + next) {
                continue;
            }
            report(kafka, task.getKey(), REPORTS.get(next), next + 1);
            task.setValue(next + 1);
            sent++;
        }
        return sent;
    }

    private static long lastVersion(List<EventTopic.Received> events) {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).detail().path("version").asLong();
    }

    private void report(TestKafka kafka, String taskArn, TaskStatus status, long version) {
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        ContainerStatus container = status == TaskStatus.RUNNING ? ContainerStatus.RUNNING
                : status == TaskStatus.STOPPED ? ContainerStatus.STOPPED : ContainerStatus.PENDING;
        Instant now = Instant.now();
        TaskStateChange change = new TaskStateChange(BerthRecord.SCHEMA_VERSION, version, taskId, CLUSTER, INSTANCE,
                status, List.of(new ContainerState("web", "hollow-" + taskId, "busybox", container,
                        status == TaskStatus.STOPPED ? 0 : null, null, List.of())), null, null, null, null,
                status == TaskStatus.PENDING ? null : now, null, status == TaskStatus.STOPPED ? now : null, now);
        TopicRecords.send(kafka.bootstrapServers(), "berth.task-events", taskId,
                new String(codec.encode(change), StandardCharsets.UTF_8));
    }

    private BerthProcess start(TestKafka kafka, int replica, Path dataDir, int port) throws IOException {
        Map<String, String> env = new HashMap<>(SCHEDULER);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("BERTH_SCHEDULER_ADVERTISED_URL", "http://127.0.0.1:" + port);
        env.put("BERTH_SCHEDULER_REPLICA_ID", "kev-" + replica);
        BerthProcess process = BerthProcess.start("kev-scheduler-" + replica + "-" + logs.size(), dataDir, port, env,
                List.of());
        logs.add(process.log());
        return process;
    }

    private void register(TestKafka kafka) {
        Instant now = Instant.now();
        InstanceRegistration registration = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, INSTANCE,
                CLUSTER, INSTANCE + ".test", "test", new Resources(64 * 1024, 64 * 1024, Set.of(22)),
                AgentAttributes.DEFAULT, now, now, false, null, null, null);
        TopicRecords.send(kafka.bootstrapServers(), "berth.instances", INSTANCE,
                new String(codec.encode(registration), StandardCharsets.UTF_8));
    }

    private LeaderRecord awaitLeader(TestKafka kafka, LeaderRecord previous) {
        return await("a leader other than " + (previous == null ? "none" : previous.apiUrl())).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200)).until(() -> SchedulerLeaders.latest(kafka),
                        l -> l != null && (previous == null || l.version() > previous.version()));
    }
}
