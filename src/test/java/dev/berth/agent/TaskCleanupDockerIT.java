package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task cleanup against a real Kafka broker and the real Docker engine, with a short cleanup
 * wait and resync: a stopped task's container and an orphaned exited container leave
 * {@code docker ps -a}; containers that are not this instance's stay.
 */
class TaskCleanupDockerIT {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    private static TestKafka kafka;
    private static Path dataDir;
    private static RecordPublisher scheduler;
    private static AgentRole agent;
    private static String instanceId;
    private static final List<String> madeByTheTest = new ArrayList<>();

    @BeforeAll
    static void startAgent() throws Exception {
        kafka = TestKafka.start();
        dataDir = Files.createTempDirectory("berth-cleanup-it");
        TestAgent started = TestAgent.start(Map.of(
                "berth.agent.cluster", "it-" + RUN_ID,
                "berth.agent.docker-host",
                System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                "berth.agent.resync-interval", "500ms",
                "berth.agent.task-cleanup-wait", WAIT.toSeconds() + "s",
                "berth.agent.orphan-grace-period", "1s",
                "berth.agent.introspection-port", "-1",
                "berth.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "berth.kafka.retry-backoff", "100ms",
                "berth.kafka.retry-backoff-max", "1s"), dataDir);
        agent = started.agent();
        scheduler = started.scheduler();
        instanceId = started.instanceId();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (instanceId != null) {
            DockerCli.removeContainersOfInstance(instanceId);
        }
        for (String name : madeByTheTest) {
            DockerCli.run("rm", "-f", name);
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aStoppedTasksContainerIsRemovedOnceItHasExitedLongerThanTheWait() throws Exception {
        // Given: a task that runs, then is stopped with StopTask
        DesiredTask task = desired();
        publish(task);
        String filter = "label=dev.berth.task-id=" + task.taskId();
        await().until(() -> DockerCli.words("ps", "-q", "--filter", filter).size() == 1);
        String container = DockerCli.words("ps", "-aq", "--no-trunc", "--filter", filter).get(0);

        // When
        publish(task.stop(task.version() + 1, "UserInitiated", "done"));

        // Then: kept while it is fresh, gone from docker ps -a once it exited longer than the wait ago
        await().pollInterval(Duration.ofMillis(100))
                .until(() -> "exited".equals(DockerCli.run("inspect", "-f", "{{.State.Status}}", container)));
        Instant finishedAt = Instant.parse(DockerCli.run("inspect", "-f", "{{.State.FinishedAt}}", container));
        await().until(() -> DockerCli.words("ps", "-aq", "--filter", filter).isEmpty());
        assertThat(Duration.between(finishedAt, Instant.now())).isGreaterThanOrEqualTo(WAIT);
    }

    @Test
    void anExitedContainerNoTaskClaimsIsRemovedAndOthersContainersAreNot() throws Exception {
        // Given: exited containers: one of this instance for a task Kafka does not hold, one of
        // another instance, one without Berth's labels
        String orphan = exitedContainer("orphan", instanceId);
        // Read at once: on a loaded host the orphan may be gone before the other two are made.
        Instant finishedAt = Instant.parse(DockerCli.run("inspect", "-f", "{{.State.FinishedAt}}", orphan));
        String otherInstance = exitedContainer("other", "fedcba9876543210fedcba9876543210");
        String foreign = "berth-it-foreign-" + RUN_ID;
        madeByTheTest.add(foreign);
        DockerCli.run("run", "--name", foreign, IMAGE, "sh", "-c", "exit 0");

        // When: the agent resyncs for longer than the wait
        await().until(() -> DockerCli.run("ps", "-aq", "--filter", "name=^" + orphan + "$").isEmpty());
        Instant gone = Instant.now();
        awaitResyncAfter(awaitResyncAfter(gone));

        // Then
        assertThat(Duration.between(finishedAt, gone)).isGreaterThanOrEqualTo(WAIT);
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Status}}", otherInstance)).isEqualTo("exited");
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Status}}", foreign)).isEqualTo("exited");
    }

    /** When the first resync that started after {@code after} started. */
    private static Instant awaitResyncAfter(Instant after) {
        List<Instant> seen = new ArrayList<>();
        await().until(() -> {
            seen.clear();
            agent.running().flatMap(running -> running.engine().lastResync()).ifPresent(seen::add);
            return !seen.isEmpty() && seen.get(0).isAfter(after);
        });
        return seen.get(0);
    }

    private static String exitedContainer(String role, String instance) throws Exception {
        String name = "berth-it-" + role + "-" + RUN_ID;
        madeByTheTest.add(name);
        DockerCli.run("run", "--name", name, "--label", "dev.berth.task-id=" + role + RUN_ID, "--label",
                "dev.berth.instance-id=" + instance, "--label", "dev.berth.container-name=app", IMAGE, "sh", "-c",
                "exit 0");
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Status}}", name)).isEqualTo("exited");
        return name;
    }

    private static DesiredTask desired() {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/it/" + taskId, "it-" + RUN_ID, instanceId,
                Fixtures.sleeperTaskDefinition(), null, TaskStatus.RUNNING, null, "family:sleeper", Instant.now(),
                null, null);
    }

    private static void publish(DesiredTask task) throws Exception {
        int partition = Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS));
        scheduler.publish(Topic.TASKS, partition, task.taskId(), task);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250));
    }

}
