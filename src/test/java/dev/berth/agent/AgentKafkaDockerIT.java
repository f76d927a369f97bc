package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.runtime.HostSettings;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DeadLetter;
import dev.berth.protocol.DesiredTask;
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
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's pieces together, without Quarkus, against a real Kafka broker and the real
 * Docker engine of this host: the test plays the scheduler, publishing desired tasks on the
 * instance's partition of berth.tasks and reading what the agent reports on
 * berth.instances, berth.task-events and berth.dead-letters. The resync interval is long, so
 * a container that exits by itself is only seen in time through Docker's events.
 */
class AgentKafkaDockerIT {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final String CLUSTER = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static TestKafka kafka;
    private static Path dataDir;
    private static SmallRyeConfig config;
    private static KafkaClients clients;
    private static RecordPublisher scheduler;
    private static final RecordCodec codec = new RecordCodec();
    private static AgentRole agent;
    private static String instanceId;

    @BeforeAll
    static void startAgent() throws Exception {
        kafka = TestKafka.start();
        dataDir = Files.createTempDirectory("berth-agent-it");
        config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.ofEntries(
                        Map.entry("berth.agent.cluster", CLUSTER),
                        Map.entry("berth.agent.docker-host",
                                System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock")),
                        Map.entry("berth.agent.resync-interval", "10m"),
                        Map.entry("berth.agent.heartbeat-interval", "1s"),
                        Map.entry("berth.agent.instance-attributes", "{\"stack\": \"it\"}"),
                        Map.entry("berth.agent.pull-timeout", "30s"),
                        Map.entry("berth.agent.introspection-port", "0"),
                        Map.entry("berth.agent.task-metadata-port", "0"),
                        Map.entry("berth.agent.reserved-ports-udp", "[5353]"),
                        Map.entry("berth.kafka.bootstrap-servers", kafka.bootstrapServers()),
                        Map.entry("berth.kafka.retry-backoff", "100ms"),
                        Map.entry("berth.kafka.retry-backoff-max", "1s")), "it", 300))
                .withMapping(AgentConfig.class)
                .withMapping(KafkaSettings.class)
                .build();
        clients = new KafkaClients(config.getConfigMapping(KafkaSettings.class), "it-scheduler");
        assertThat(new TopicAdmin(clients).ensure(List.of(Topic.values()))).isTrue();
        scheduler = new RecordPublisher(clients, codec, "it-scheduler");
        // The scheduler's CreateCluster: the agent registers only in a cluster that exists.
        scheduler.publish(Topic.CLUSTERS, CLUSTER, new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, CLUSTER, "ACTIVE",
                Instant.now()));
        agent = newAgent();
        agent.start();
        instanceId = agent.instanceId().orElseThrow();
        await().until(agent::isReady);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (instanceId != null) {
            DockerCli.removeContainersOfInstance(instanceId);
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AgentRole newAgent() {
        return new AgentRole(config.getConfigMapping(AgentConfig.class), config.getConfigMapping(KafkaSettings.class),
                dataDir.toString());
    }

    @Test
    void registersTheInstanceWithItsCapacityAndVersion() {
        // Given the agent started above

        // When it has connected

        // Then
        await().untilAsserted(() -> assertThat(records(Topic.INSTANCES, InstanceRegistration.class))
                .anySatisfy(registration -> {
                    assertThat(registration.instanceId()).isEqualTo(instanceId);
                    assertThat(registration.cluster()).isEqualTo(CLUSTER);
                    assertThat(registration.agentVersion()).isEqualTo(AgentBuild.load().version());
                    assertThat(registration.registeredResources().cpu()).isPositive();
                    assertThat(registration.dockerVersion())
                            .isEqualTo(DockerCli.run("version", "--format", "{{.Server.Version}}"));
                    assertThat(registration.remainingResources().ports()).contains(22, 51678);
                    assertThat(registration.registeredResources().portsUdp()).containsExactly(5353);
                    assertThat(registration.remainingResources().portsUdp()).contains(5353);
                    assertThat(registration.attributes()).containsEntry("stack", "it")
                            .containsEntry("ecs.os-type", "linux")
                            .containsEntry("com.amazonaws.ecs.capability.docker-remote-api.1.32", "")
                            .containsEntry("com.amazonaws.ecs.capability.logging-driver.none", "")
                            .containsEntry("ecs.capability.container-health-check", "")
                            .doesNotContainKeys("com.amazonaws.ecs.capability.privileged-container",
                                    "com.amazonaws.ecs.capability.logging-driver.logentries");
                    for (String driver : DockerCli.run("info", "--format", "{{join .Plugins.Log \" \"}}").split(" ")) {
                        if (!driver.equals("logentries")) {
                            assertThat(registration.attributes())
                                    .containsKey("com.amazonaws.ecs.capability.logging-driver." + driver);
                        }
                    }
                    assertThat(registration.shuttingDown()).isFalse();
                }));
    }

    @Test
    void runsADesiredTaskAndReportsPendingThenRunningWithTheDockerId() throws Exception {
        // Given
        DesiredTask task = desired(Fixtures.sleeperTaskDefinition(), null);

        // When
        publish(task);

        // Then
        TaskStateChange running = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
        assertThat(changes(task.taskId())).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        ContainerState app = running.containers().get(0);
        assertThat(app.runtimeId()).isNotBlank();
        // Docker binds the port on IPv4 and IPv6 (0.0.0.0 and ::), and ECS reports both as well.
        assertThat(app.networkBindings()).isNotEmpty().allSatisfy(binding -> {
            assertThat(binding.containerPort()).isEqualTo(8080);
            assertThat(binding.hostPort()).isPositive();
        });
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}} {{index .Config.Labels \"dev.berth.task-id\"}}"
                + " {{index .Config.Labels \"dev.berth.instance-id\"}} {{index .Config.Labels \"dev.berth.cluster\"}}"
                + " {{index .Config.Labels \"dev.berth.container-name\"}}"
                + " {{index .Config.Labels \"dev.berth.task-definition\"}}"
                + " {{index .Config.Labels \"dev.berth.task-arn\"}}", app.runtimeId()))
                .isEqualTo("true " + task.taskId() + " " + instanceId + " " + CLUSTER + " app sleeper:1 "
                        + task.taskArn());
        JsonNode introspected = introspect("/v1/tasks?taskarn=" + URLEncoder.encode(task.taskArn(),
                StandardCharsets.UTF_8));
        assertThat(introspected.get("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(introspected.get("Containers").get(0).get("DockerId").asText()).isEqualTo(app.runtimeId());
    }

    @Test
    void aTaskThatDoesNotFitWaitsInPendingUntilTheStoppingTaskHoldingTheCpuHasReallyStopped() throws Exception {
        // Given: a task that takes all but 100 of the CPU units left, and a UDP port; it ignores SIGTERM,
        // so it stays STOPPING for its 3 s stop timeout
        await().until(() -> latestRegistration() != null && latestRegistration().remainingResources() != null);
        int cpuLeft = latestRegistration().remainingResources().cpu();
        TaskDefinition hogDefinition = Fixtures.withContainerField(Fixtures.withContainerField(
                Fixtures.withContainerField(Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(), "app", "cpu",
                        cpuLeft - 100), "app", "command", List.of("sh", "-c", "trap '' TERM; sleep 300 & wait")),
                "app", "stopTimeout", 3), "app", "portMappings",
                List.of(Map.of("containerPort", 5353, "hostPort", 15353, "protocol", "udp")));
        DesiredTask hog = desired(hogDefinition, null);
        publish(hog);
        awaitChange(hog.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
        await().untilAsserted(() -> {
            assertThat(latestRegistration().remainingResources().cpu()).isEqualTo(100);
            assertThat(latestRegistration().remainingResources().portsUdp()).contains(15353);
        });

        // When: a task needing 200 CPU units comes
        DesiredTask waiting = desired(Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(), "app", "cpu", 200),
                null);
        publish(waiting);

        // Then: it waits in PENDING with no container
        awaitChange(waiting.taskId(), c -> c.lastStatus() == TaskStatus.PENDING);
        assertThat(DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-id=" + waiting.taskId())).isEmpty();

        // When: the hog is stopped, and is STOPPING
        publish(hog.stop(hog.version() + 1, "UserInitiated", "Make room"));
        awaitChange(hog.taskId(), c -> c.lastStatus() == TaskStatus.STOPPING);

        // Then: the waiting task still has no container; it runs once the hog has really stopped
        assertThat(DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-id=" + waiting.taskId())).isEmpty();
        TaskStateChange running = awaitChange(waiting.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
        TaskStateChange hogStopped = awaitChange(hog.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(hogStopped.containers().get(0).exitCode()).isEqualTo(137);
        assertThat(running.startedAt()).isAfterOrEqualTo(hogStopped.stoppedAt());
        await().untilAsserted(() -> {
            assertThat(latestRegistration().remainingResources().cpu()).isEqualTo(cpuLeft - 200);
            assertThat(latestRegistration().remainingResources().portsUdp()).doesNotContain(15353);
        });
        publish(waiting.stop(waiting.version() + 1, "UserInitiated", "Done"));
    }

    @Test
    void aBridgeModeContainerReadsItsTaskMetadataAndStatsFromTheV4Endpoint() throws Exception {
        // Given: a container that asks its endpoint for the task and its stats every second, with busybox nc
        String ask = "u=${ECS_CONTAINER_METADATA_URI_V4#http://}; hp=${u%%/*}; p=/${u#*/}; "
                + "while true; do for r in /task /stats; do printf 'GET %s%s HTTP/1.0\\r\\n\\r\\n' \"$p\" \"$r\" "
                + "| nc ${hp%:*} ${hp#*:}; echo; done; sleep 1; done";
        TaskDefinition asking = Fixtures.withContainerField(Fixtures.sleeperTaskDefinition(), "app", "command",
                List.of("sh", "-c", "trap 'exit 143' TERM; (" + ask + ") & wait"));
        // ... and has a task volume mounted at /data
        asking = Fixtures.withTaskField(asking, "volumes", List.of(Map.of("name", "data")));
        asking = Fixtures.withContainerField(asking, "app", "mountPoints",
                List.of(Map.of("sourceVolume", "data", "containerPath", "/data")));
        DesiredTask task = desired(asking, null);

        // When
        publish(task);
        String dockerId = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING).containers().get(0)
                .runtimeId();

        // Then: the container was told an endpoint on the bridge gateway, and reads its task and stats there
        String gateway = bridgeGateway();
        assertThat(DockerCli.run("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", dockerId))
                .containsPattern("ECS_CONTAINER_METADATA_URI_V4=http://" + gateway.replace(".", "\\.")
                        + ":\\d+/v4/[0-9a-f]{32}");
        await().untilAsserted(() -> {
            String logs = DockerCli.run("logs", dockerId);
            assertThat(logs).contains("\"TaskARN\":\"" + task.taskArn() + "\"")
                    .contains("\"KnownStatus\":\"RUNNING\"")
                    .contains("\"DockerId\":\"" + dockerId + "\"")
                    .contains("\"LaunchType\":\"EC2\"")
                    .contains("\"CreatedAt\":\"")
                    .contains("\"Volumes\":[{\"DockerName\":\"" + HostSettings.taskVolumeName(task, "data") + "\"")
                    .contains("\"Destination\":\"/data\"")
                    .contains("\"read\":");
        });
        publish(task.stop(task.version() + 1, "UserInitiated", "Done"));
    }

    /**
     * Where containers reach the host: the gateway Docker names for its bridge, else (a bridge
     * that existed before the engine started, which Docker lists without one) docker0's address.
     */
    private static String bridgeGateway() throws Exception {
        String named = DockerCli.run("network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}").strip();
        if (named.contains(".")) {
            return named;
        }
        return java.net.NetworkInterface.getByName("docker0").inetAddresses()
                .filter(java.net.Inet4Address.class::isInstance).findFirst().orElseThrow().getHostAddress();
    }

    @Test
    void aDesiredStopStopsTheContainerAndReportsItsExitCodeAndReason() throws Exception {
        // Given
        DesiredTask task = desired(Fixtures.sleeperTaskDefinition(), null);
        publish(task);
        String dockerId = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING).containers().get(0)
                .runtimeId();

        // When
        publish(task.stop(task.version() + 1, "UserInitiated", "Scaling down for the night"));

        // Then
        TaskStateChange stopped = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("UserInitiated");
        assertThat(stopped.stoppedReason()).isEqualTo("Scaling down for the night");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        assertThat(changes(task.taskId())).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.STOPPED);
        assertThat(DockerCli.run("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", dockerId))
                .isEqualTo("false 143");
    }

    @Test
    void anImageThatCannotBePulledFailsTheTaskToStart() throws Exception {
        // Given
        DesiredTask task = desired(Fixtures.missingImageTaskDefinition(), null);

        // When
        publish(task);

        // Then
        TaskStateChange stopped = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("TaskFailedToStart");
        assertThat(stopped.stoppedReason()).startsWith("CannotPullContainerError");
        assertThat(stopped.containers().get(0).reason()).startsWith("CannotPullContainerError");
        assertThat(DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-id=" + task.taskId())).isEmpty();
    }

    @Test
    void anEssentialContainerThatExitsByItselfStopsTheTaskWithItsExitCode() throws Exception {
        // Given: a task whose container exits with 7 a second after it started
        DesiredTask task = desired(Fixtures.sleeperTaskDefinition(), Fixtures.exit7Overrides());

        // When
        publish(task);

        // Then: seen through Docker's die event, well before the ten-minute resync
        TaskStateChange stopped = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(7);
        assertThat(changes(task.taskId())).extracting(TaskStateChange::lastStatus).contains(TaskStatus.RUNNING);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLettersAndTheAgentCarriesOn() throws Exception {
        // Given
        String poisonKey = "poison-" + UUID.randomUUID();
        DesiredTask after = desired(Fixtures.sleeperTaskDefinition(), null);

        // When
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topic.TASKS.name(clients.settings()), instancePartition(), poisonKey,
                    "{\"type\": \"DesiredTask\", \"version\": [not json".getBytes(StandardCharsets.UTF_8))).get();
        }
        publish(after);

        // Then
        await().untilAsserted(() -> assertThat(recordsByKey(Topic.DEAD_LETTERS, DeadLetter.class).get(poisonKey))
                .singleElement()
                .satisfies(letter -> {
                    assertThat(letter.topic()).isEqualTo(Topic.TASKS.name(clients.settings()));
                    assertThat(letter.partition()).isEqualTo(instancePartition());
                    assertThat(letter.reason()).isNotBlank();
                    assertThat(letter.value()).contains("not json");
                }));
        awaitChange(after.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
    }

    @Test
    void aRestartedAgentAdoptsWhatRunsAndRewritesNothingItReportedBefore() throws Exception {
        // Given: two running tasks
        DesiredTask kept = desired(Fixtures.sleeperTaskDefinition(), null);
        DesiredTask exits = desired(Fixtures.sleeperTaskDefinition(), null);
        publish(kept);
        publish(exits);
        TaskStateChange keptRunning = awaitChange(kept.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
        TaskStateChange exitsRunning = awaitChange(exits.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING);
        String keptId = keptRunning.containers().get(0).runtimeId();
        String exitsId = exitsRunning.containers().get(0).runtimeId();

        // When: the agent is down while one container exits (143 on SIGTERM), then comes back
        restartAgent(() -> DockerCli.run("stop", exitsId));

        // Then: the exit is reported with Docker's finish time; what was reported is kept
        TaskStateChange stopped = awaitChange(exits.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        assertThat(stopped.startedAt()).isEqualTo(exitsRunning.startedAt());
        assertThat(stopped.pullStartedAt()).isEqualTo(exitsRunning.pullStartedAt());
        assertThat(stopped.stoppedAt()).isCloseTo(Instant.parse(
                DockerCli.run("inspect", "-f", "{{.State.FinishedAt}}", exitsId)), within(1, ChronoUnit.MILLIS));
        assertThat(stopped.version()).isGreaterThan(exitsRunning.version());
        assertThat(DockerCli.words("ps", "-aq", "--no-trunc", "--filter", "label=dev.berth.task-id=" + exits.taskId()))
                .containsExactly(exitsId);

        // And the adopted task keeps its start time and versions when it is stopped later
        publish(kept.stop(kept.version() + 1, "UserInitiated", "after the restart"));
        TaskStateChange keptStopped = awaitChange(kept.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(keptStopped.startedAt()).isEqualTo(keptRunning.startedAt());
        assertThat(keptStopped.containers().get(0).runtimeId()).isEqualTo(keptId);
        assertThat(changes(kept.taskId())).extracting(TaskStateChange::lastStatus)
                .as("the restart reported nothing new of a task that did not change")
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.STOPPED);
        assertThat(changes(kept.taskId())).extracting(TaskStateChange::version).isSorted();
    }

    @Test
    void aContainerRemovedWhileTheAgentWasDownStopsTheTaskAndIsNotRunAgain() throws Exception {
        // Given
        DesiredTask task = desired(Fixtures.sleeperTaskDefinition(), null);
        publish(task);
        String dockerId = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.RUNNING).containers().get(0)
                .runtimeId();

        // When
        restartAgent(() -> DockerCli.run("rm", "-f", dockerId));

        // Then
        TaskStateChange stopped = awaitChange(task.taskId(), c -> c.lastStatus() == TaskStatus.STOPPED);
        assertThat(stopped.containers().get(0).reason()).isEqualTo("Container removed while the agent was down");
        assertThat(stopped.containers().get(0).runtimeId()).isEqualTo(dockerId);
        assertThat(stopped.stopCode()).isEqualTo("EssentialContainerExited");
        assertThat(DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-id=" + task.taskId())).isEmpty();
    }

    @Test
    void theRegistrationKeepsItsFirstTimeAndRisingVersionsAcrossARestart() throws Exception {
        // Given
        InstanceRegistration first = await().until(() -> latestRegistration(), r -> r != null);

        // When
        restartAgent(() -> { });

        // Then
        InstanceRegistration after = await().until(() -> latestRegistration(),
                r -> r != null && r.version() > first.version() && !r.shuttingDown());
        assertThat(after.registeredAt()).isEqualTo(first.registeredAt());
    }

    /** Stops the agent, does {@code whileDown}, starts a new agent process on the same data dir. */
    private static void restartAgent(Runnable whileDown) {
        agent.stop();
        whileDown.run();
        agent = newAgent();
        agent.start();
        assertThat(agent.instanceId()).hasValue(instanceId);
        await().until(agent::isReady);
    }

    private static InstanceRegistration latestRegistration() {
        List<InstanceRegistration> mine = recordsByKey(Topic.INSTANCES, InstanceRegistration.class)
                .getOrDefault(instanceId, List.of());
        return mine.isEmpty() ? null : mine.get(mine.size() - 1);
    }

    // ---- the scheduler's side ---------------------------------------------------------------

    private static DesiredTask desired(TaskDefinition definition, TaskOverride overrides) {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/" + taskId, CLUSTER, instanceId, definition,
                overrides, TaskStatus.RUNNING, null, "family:" + definition.family(), Instant.now(), null, null);
    }

    private static int instancePartition() {
        return Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS));
    }

    private static void publish(DesiredTask task) throws Exception {
        scheduler.publish(Topic.TASKS, instancePartition(), task.taskId(), task);
    }

    private static List<TaskStateChange> changes(String taskId) {
        return records(Topic.TASK_EVENTS, TaskStateChange.class).stream()
                .filter(change -> taskId.equals(change.taskId()))
                .collect(Collectors.toList());
    }

    private static TaskStateChange awaitChange(String taskId, Predicate<TaskStateChange> wanted) {
        List<TaskStateChange> found = new ArrayList<>();
        await().untilAsserted(() -> {
            found.clear();
            changes(taskId).stream().filter(wanted).forEach(found::add);
            assertThat(found).as("state changes of task %s: %s", taskId, changes(taskId)).isNotEmpty();
        });
        return found.get(0);
    }

    /** Every record of the topic, in offset order per partition, decoded. */
    private static <T extends BerthRecord> List<T> records(Topic topic, Class<T> type) {
        return new ArrayList<>(recordsByKey(topic, type).values().stream().flatMap(List::stream)
                .collect(Collectors.toList()));
    }

    private static <T extends BerthRecord> Map<String, List<T>> recordsByKey(Topic topic, Class<T> type) {
        Map<String, List<T>> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer("it-read")) {
            String name = topic.name(clients.settings());
            List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                    .map(p -> new TopicPartition(name, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    RecordCodec.Decoded decoded = codec.decode(record.value());
                    if (decoded instanceof RecordCodec.Decoded.Record) {
                        BerthRecord value = ((RecordCodec.Decoded.Record) decoded).value();
                        if (type.isInstance(value)) {
                            byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(type.cast(value));
                        }
                    }
                }
            }
        }
        return byKey;
    }

    private static JsonNode introspect(String pathAndQuery) throws Exception {
        int port = agent.introspectionPort().orElseThrow();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250));
    }

}
