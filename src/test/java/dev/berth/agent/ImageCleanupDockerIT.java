package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.Topic;
import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image cleanup against a real Kafka broker and the real Docker engine, with a short cycle,
 * cleanup wait and minimum age. The task runs an image of this test's own, committed on top
 * of {@code berth-test/busybox:latest}: no task of this agent ever names the shared test
 * image, so this agent never removes it, whatever other builds on the same engine do.
 */
class ImageCleanupDockerIT {

    private static final String BASE = "berth-test/busybox:latest";
    private static final Duration MINIMUM_AGE = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String TASK_IMAGE = "berth-it/gc-task-" + RUN_ID + ":1";
    private static final String OPERATOR_IMAGE = "berth-it/gc-operator-" + RUN_ID + ":1";

    private static TestKafka kafka;
    private static Path dataDir;
    private static RecordPublisher scheduler;
    private static AgentRole agent;
    private static String instanceId;

    @BeforeAll
    static void startAgent() throws Exception {
        commitImage(TASK_IMAGE);
        commitImage(OPERATOR_IMAGE);
        kafka = TestKafka.start();
        dataDir = Files.createTempDirectory("berth-images-it");
        TestAgent started = TestAgent.start(Map.of(
                "berth.agent.cluster", "it-" + RUN_ID,
                "berth.agent.docker-host",
                System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                "berth.agent.resync-interval", "500ms",
                "berth.agent.task-cleanup-wait", "1s",
                "berth.agent.image-cleanup-interval", "500ms",
                "berth.agent.image-minimum-cleanup-age", MINIMUM_AGE.toMillis() + "ms",
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
        for (String image : List.of(TASK_IMAGE, OPERATOR_IMAGE)) {
            if (!DockerCli.words("images", "-q", image).isEmpty()) {
                DockerCli.run("rmi", image);
            }
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void anImageIsKeptWhileItsTaskRunsAndRemovedOnceUnusedForTheMinimumAge() throws Exception {
        // Given: a task runs the image
        TaskDefinition definition = Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(), "app", "image",
                TASK_IMAGE);
        DesiredTask task = desired(definition);
        publish(task);
        String filter = "label=dev.berth.task-id=" + task.taskId();
        await().until(() -> DockerCli.words("ps", "-q", "--filter", filter).size() == 1);

        // When: cleanup cycles see it in use for longer than the minimum age
        Instant firstSeen = awaitLastUse(null);
        awaitLastUse(firstSeen.plus(MINIMUM_AGE.multipliedBy(2)));

        // Then: it is still there
        assertThat(DockerCli.words("images", "-q", TASK_IMAGE)).isNotEmpty();

        // When: the task stops and its container is removed
        publish(task.stop(task.version() + 1, "UserInitiated", "done"));
        await().until(() -> DockerCli.words("ps", "-aq", "--filter", filter).isEmpty());

        // Then: the image goes; the operator's image and the shared base stay
        await().until(() -> DockerCli.words("images", "-q", TASK_IMAGE).isEmpty());
        assertThat(DockerCli.words("images", "-q", OPERATOR_IMAGE)).isNotEmpty();
        assertThat(DockerCli.words("images", "-q", BASE)).isNotEmpty();
        // (the cycle that removed the image writes its history just after)
        await().untilAsserted(() -> assertThat(history()).doesNotContainKey(TASK_IMAGE));
    }

    /** When a cleanup cycle last saw the task's image used, once that is at or after {@code atLeast}. */
    private static Instant awaitLastUse(Instant atLeast) {
        Instant[] seen = new Instant[1];
        await().until(() -> {
            String millis = history().getProperty(TASK_IMAGE);
            seen[0] = millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
            return seen[0] != null && (atLeast == null || !seen[0].isBefore(atLeast));
        });
        return seen[0];
    }

    private static Properties history() throws Exception {
        Properties properties = new Properties();
        Path file = dataDir.resolve("agent").resolve("images.properties");
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
        }
        return properties;
    }

    /** An image of this test's own: a layer committed on top of the shared base. */
    private static void commitImage(String image) {
        String source = "berth-it-gc-source-" + UUID.randomUUID().toString().substring(0, 8);
        DockerCli.run("create", "--name", source, BASE, "true");
        DockerCli.run("commit", source, image);
        DockerCli.run("rm", source);
    }

    private static DesiredTask desired(TaskDefinition definition) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/it/" + taskId, "it-" + RUN_ID, instanceId, definition, null,
                TaskStatus.RUNNING, null, "family:sleeper", Instant.now(), null, null);
    }

    private static void publish(DesiredTask task) throws Exception {
        int partition = Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS));
        scheduler.publish(Topic.TASKS, partition, task.taskId(), task);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250));
    }
}
