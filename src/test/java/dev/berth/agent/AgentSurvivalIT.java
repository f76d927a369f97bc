package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import dev.berth.testing.TopicRecords;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent survives what happens around it, with a real broker and the real Docker engine:
 * a Kafka outage (its state changes wait on disk and arrive when Kafka is back), and a
 * Kafka that changed under it (more partitions of berth.tasks, or an empty new cluster),
 * which must not make its orphan sweep stop containers; a cluster that does not exist yet; and an
 * instance that may not register (its cluster changed, or it was deregistered). The sweep runs every 500 ms with no
 * grace period, so only the layout check keeps the containers running.
 */
class AgentSurvivalIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final RecordCodec CODEC = new RecordCodec();
    /** What the agent says once it knows its instance was deregistered. */
    private static final String DEREGISTERED = "was deregistered (DeregisterContainerInstance)";

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> madeByTheTest = new ArrayList<>();
    private AgentRole agent;
    private String instanceId;
    private String heartbeatInterval = "10s";

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (instanceId != null) {
            DockerCli.removeContainersOfInstance(instanceId);
        }
        for (String name : madeByTheTest) {
            DockerCli.run("rm", "-f", name);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aStateChangeDuringAKafkaOutageWaitsOnDiskAndArrivesWhenKafkaIsBack() throws Exception {
        // Given: an agent on a broker, running a task
        TestKafka kafka = startKafka();
        String bootstrap = kafka.bootstrapServers();
        RecordPublisher scheduler = scheduler(bootstrap);
        startAgent(bootstrap);
        DesiredTask task = publishSleeper(scheduler);
        String dockerId = awaitChange(bootstrap, task.taskId(), TaskStatus.RUNNING).containers().get(0).runtimeId();
        scheduler.close();

        // When: Kafka goes away, and meanwhile the task's container exits
        kafka.stopBroker();
        DockerCli.run("stop", dockerId);
        await().until(() -> agent.running().map(r -> r.sender().pendingCount()).orElse(0) == 1);
        Path outbox = dataDir.resolve("agent").resolve("state-changes");
        try (Stream<Path> files = Files.list(outbox)) {
            assertThat(files.map(f -> f.getFileName().toString())).contains(task.taskId() + ".json");
        }
        kafka.startBroker();

        // Then
        TaskStateChange stopped = awaitChange(bootstrap, task.taskId(), TaskStatus.STOPPED);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        await().until(() -> agent.running().map(r -> r.sender().pendingCount()).orElse(-1) == 0);
    }

    @Test
    void moreBerthTasksPartitionsStopNoContainer() throws Exception {
        // Given: a task runs, and the sweep is shown to stop an orphan while the layout holds
        TestKafka kafka = startKafka();
        RecordPublisher scheduler = scheduler(kafka.bootstrapServers());
        startAgent(kafka.bootstrapServers());
        DesiredTask task = publishSleeper(scheduler);
        awaitChange(kafka.bootstrapServers(), task.taskId(), TaskStatus.RUNNING);
        String control = runOrphan();
        await().until(() -> !isRunning(control));

        // When: berth.tasks gets partitions so that this instance's partition moves, and the agent restarts
        agent.stop();
        int partitions = scheduler.partitionCount(Topic.TASKS);
        int more = partitions + 1;
        while (Partitioning.forInstance(instanceId, more) == Partitioning.forInstance(instanceId, partitions)) {
            more++;
        }
        try (Admin admin = kafka.admin()) {
            admin.createPartitions(Map.of("berth.tasks", NewPartitions.increaseTo(more))).all().get();
        }
        String orphan = runOrphan();
        startAgent(kafka.bootstrapServers());
        awaitResyncs(4);

        // Then
        assertThat(isRunning(orphan)).isTrue();
        assertThat(containersOf(task)).isNotEmpty();
        scheduler.close();
    }

    @Test
    void anEmptyNewKafkaStopsNoContainer() throws Exception {
        // Given: a task runs under a first Kafka
        TestKafka first = startKafka();
        RecordPublisher scheduler = scheduler(first.bootstrapServers());
        startAgent(first.bootstrapServers());
        DesiredTask task = publishSleeper(scheduler);
        awaitChange(first.bootstrapServers(), task.taskId(), TaskStatus.RUNNING);
        scheduler.close();

        // When: the agent comes back on another, empty Kafka
        agent.stop();
        TestKafka empty = startKafka();
        String orphan = runOrphan();
        startAgent(empty.bootstrapServers());
        awaitResyncs(4);

        // Then
        assertThat(isRunning(orphan)).isTrue();
        assertThat(containersOf(task)).isNotEmpty();
    }

    @Test
    void anAgentWhoseClusterDoesNotExistSaysHowToCreateItAndRegistersOnceItExists() throws Exception {
        // Given
        TestKafka kafka = startKafka();
        RecordPublisher scheduler = scheduler(kafka.bootstrapServers());
        String cluster = "late-" + UUID.randomUUID().toString().substring(0, 8);
        startAgentIn(kafka.bootstrapServers(), cluster);
        await().until(() -> agent.registrationProblem().filter(p -> p.contains("does not exist")).isPresent());
        String problem = agent.registrationProblem().orElseThrow();
        boolean readyWithoutCluster = agent.isReady();
        boolean registeredWithoutCluster = registrations(kafka.bootstrapServers()) > 0;

        // When: CreateCluster
        scheduler.publish(Topic.CLUSTERS, cluster, new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, cluster, "ACTIVE",
                Instant.now()));

        // Then
        assertThat(problem).contains("aws ecs create-cluster --cluster-name " + cluster + " --endpoint-url ");
        assertThat(readyWithoutCluster).isFalse();
        assertThat(registeredWithoutCluster).isFalse();
        await().until(agent::isReady);
        await().until(() -> registrations(kafka.bootstrapServers()) > 0);
        scheduler.close();
    }

    @Test
    void anAgentWhoseClusterWasChangedDoesNotMoveTheInstanceAndKeepsItsContainers() throws Exception {
        // Given: a task runs on an instance registered in cluster a
        TestKafka kafka = startKafka();
        RecordPublisher scheduler = scheduler(kafka.bootstrapServers());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String first = "a-" + suffix;
        String second = "b-" + suffix;
        for (String cluster : List.of(first, second)) {
            scheduler.publish(Topic.CLUSTERS, cluster, new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, cluster,
                    "ACTIVE", Instant.now()));
        }
        startAgentIn(kafka.bootstrapServers(), first);
        await().until(agent::isReady);
        DesiredTask task = publishSleeper(scheduler);
        awaitChange(kafka.bootstrapServers(), task.taskId(), TaskStatus.RUNNING);

        // When: ECS_CLUSTER names b, and the agent restarts
        agent.stop();
        startAgentIn(kafka.bootstrapServers(), second);
        await().until(() -> agent.registrationProblem().filter(p -> p.contains("registered in cluster " + first))
                .isPresent());

        // Then
        assertThat(agent.registrationProblem().orElseThrow())
                .contains("ECS_CLUSTER names " + second)
                .contains("aws ecs deregister-container-instance --cluster " + first + " --container-instance "
                        + instanceId);
        assertThat(agent.isReady()).isFalse();
        assertThat(registeredClusters(kafka.bootstrapServers())).containsOnly(first);
        assertThat(containersOf(task)).isNotEmpty();
        scheduler.close();
    }

    @Test
    void aDeregisteredInstanceStopsRegisteringAtOnceAndAfterARestart() throws Exception {
        // Given: a registered instance, heartbeating every 300 ms
        TestKafka kafka = startKafka();
        RecordPublisher scheduler = scheduler(kafka.bootstrapServers());
        heartbeatInterval = "300ms";
        startAgent(kafka.bootstrapServers());
        await().until(() -> registrations(kafka.bootstrapServers()) > 2);

        // When: DeregisterContainerInstance, as the scheduler records it
        scheduler.publish(Topic.INSTANCE_CONTROL, instanceId, new InstanceControl(BerthRecord.SCHEMA_VERSION, 1,
                instanceId, "default", InstanceControl.DEREGISTERED, Instant.now()));

        // Then: it stops registering and says why, while it runs and after a restart
        await().until(() -> agent.registrationProblem().filter(p -> p.contains(DEREGISTERED)).isPresent());
        assertThat(agent.isReady()).isFalse();
        long sent = registrations(kafka.bootstrapServers());
        Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .until(() -> registrations(kafka.bootstrapServers()) == sent);
        agent.stop();
        startAgentIn(kafka.bootstrapServers(), "default");
        await().until(() -> agent.registrationProblem().filter(p -> p.contains(DEREGISTERED)).isPresent());
        assertThat(agent.registrationProblem().orElseThrow()).contains("move " + dataDir.resolve("agent")
                + " aside");
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> registrations(kafka.bootstrapServers()) == sent);
        scheduler.close();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private List<String> registeredClusters(String bootstrap) {
        return TopicRecords.readAll(bootstrap, "berth.instances", Duration.ofSeconds(10)).stream()
                .filter(r -> instanceId.equals(r.key()) && r.value() != null)
                .map(r -> CODEC.decode(r.value().getBytes(StandardCharsets.UTF_8)))
                .filter(d -> d instanceof RecordCodec.Decoded.Record)
                .map(d -> ((InstanceRegistration) ((RecordCodec.Decoded.Record) d).value()).cluster()).toList();
    }

    private long registrations(String bootstrap) {
        return TopicRecords.readAll(bootstrap, "berth.instances", Duration.ofSeconds(10)).stream()
                .filter(r -> instanceId.equals(r.key())).count();
    }

    private void startAgent(String bootstrap) {
        startAgentIn(bootstrap, "default");
        await().until(agent::isReady);
    }

    private void startAgentIn(String bootstrap, String cluster) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "berth.agent.docker-host", System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"),
                "berth.agent.resync-interval", "500ms",
                "berth.agent.orphan-grace-period", "0s",
                "berth.agent.stop-timeout", "2s",
                "berth.agent.introspection-port", "-1",
                "berth.kafka.bootstrap-servers", bootstrap,
                "berth.kafka.retry-backoff", "100ms",
                "berth.kafka.retry-backoff-max", "1s",
                "berth.kafka.send-timeout", "3s"));
        properties.put("berth.agent.cluster", cluster);
        properties.put("berth.agent.heartbeat-interval", heartbeatInterval);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "it", 300))
                .withMapping(AgentConfig.class)
                .withMapping(KafkaSettings.class)
                .build();
        agent = new AgentRole(config.getConfigMapping(AgentConfig.class), config.getConfigMapping(KafkaSettings.class),
                dataDir.toString());
        agent.start();
        instanceId = agent.instanceId().orElseThrow();
    }

    private TestKafka startKafka() {
        TestKafka kafka = TestKafka.start();
        toClose.add(kafka);
        return kafka;
    }

    private static String containersOf(DesiredTask task) {
        return DockerCli.run("ps", "-q", "--filter", "label=dev.berth.task-id=" + task.taskId());
    }

    private RecordPublisher scheduler(String bootstrap) {
        KafkaClients clients = new KafkaClients(settings(bootstrap), "it-scheduler");
        assertThat(new TopicAdmin(clients).ensure(List.of(Topic.values()))).isTrue();
        return new RecordPublisher(clients, CODEC, "it-scheduler");
    }

    private static KafkaSettings settings(String bootstrap) {
        return TestKafkaSettings.of(bootstrap);
    }

    private DesiredTask publishSleeper(RecordPublisher scheduler) throws Exception {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        DesiredTask task = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/default/" + taskId, "default", instanceId,
                Fixtures.sleeperTaskDefinition(), null, TaskStatus.RUNNING, null, "family:sleeper", Instant.now(), null,
                null);
        scheduler.publish(Topic.TASKS, Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS)),
                taskId, task);
        return task;
    }

    private static TaskStateChange awaitChange(String bootstrap, String taskId, TaskStatus status) {
        return await().until(() -> TopicRecords.readAll(bootstrap, "berth.task-events", Duration.ofSeconds(10))
                .stream().filter(r -> taskId.equals(r.key()) && r.value() != null)
                .map(r -> CODEC.decode(r.value().getBytes(StandardCharsets.UTF_8)))
                .filter(d -> d instanceof RecordCodec.Decoded.Record)
                .map(d -> (TaskStateChange) ((RecordCodec.Decoded.Record) d).value())
                .filter(c -> c.lastStatus() == status).findFirst().orElse(null), c -> c != null);
    }

    /** A running container with this instance's Berth labels whose task nobody ever reported. */
    private String runOrphan() {
        String name = "berth-survival-orphan-" + UUID.randomUUID().toString().substring(0, 8);
        madeByTheTest.add(name);
        DockerCli.run("run", "-d", "--name", name, "--label", "dev.berth.task-id=orphan-" + name, "--label",
                "dev.berth.instance-id=" + instanceId, "--label", "dev.berth.container-name=app",
                "berth-test/busybox:latest", "sleep", "300");
        assertThat(isRunning(name)).isTrue();
        return name;
    }

    private static boolean isRunning(String name) {
        return "true".equals(DockerCli.run("inspect", "-f", "{{.State.Running}}", name));
    }

    /** Waits until the agent has resynced {@code count} more times, each followed by a sweep. */
    private void awaitResyncs(int count) {
        for (int i = 0; i < count; i++) {
            Instant seen = lastResync();
            await().until(() -> lastResync().isAfter(seen));
        }
    }

    private Instant lastResync() {
        return agent.running().flatMap(r -> r.engine().lastResync()).orElse(Instant.EPOCH);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250));
    }
}
