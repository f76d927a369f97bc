package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.model.StopCode;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;

import dev.berth.testing.PrivateDockerEngine;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Docker engine outages under a running agent, on a private engine of the test's own (the
 * shared engine other builds use is never stopped or frozen), with live restore:
 * <ul>
 *   <li>a restart: a container exits while the engine is down, and when the engine is back the
 *       agent reports that exit and runs what was placed meanwhile; while it is down, the agent
 *       declares nothing;</li>
 *   <li>a hung engine (SIGSTOP: it accepts connections and answers none): the agent's threads
 *       stay within their bounds however long it hangs, and it acts again once the engine
 *       answers.</li>
 * </ul>
 */
class DockerEngineOutageIT {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final RecordCodec CODEC = new RecordCodec();
    private static final int WORKER_THREADS = 2;
    private static final String CLUSTER = "it-" + UUID.randomUUID().toString().substring(0, 8);

    private PrivateDockerEngine engine;
    private TestKafka kafka;
    private RecordPublisher scheduler;
    private AgentRole agent;
    /** The agent's threads, all started from this group: the agent of a Quarkus test in this JVM is not in it. */
    private final ThreadGroup agentThreads = new ThreadGroup("engine-outage-agent");
    private String instanceId;

    /** The shared engine's bridge: a private engine must never take it away from the other builds. */
    private final boolean sharedBridgeBefore = sharedBridgeExists();

    private static boolean sharedBridgeExists() {
        return Files.isDirectory(Path.of("/sys/class/net/docker0"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null) {
            agent.stop();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (engine != null) {
            engine.close();
        }
        assertThat(sharedBridgeExists()).as("the shared engine's docker0 is still there")
                .isEqualTo(sharedBridgeBefore);
    }

    @Test
    void afterAnEngineOutageTheAgentReportsTheExitThatHappenedMeanwhileAndRunsWhatWasPlaced()
            throws Exception {
        assumeTrue(PrivateDockerEngine.available(), "a private dockerd needs root and Debian's docker.io");
        // Given: an agent on a private engine, running a task
        engine = PrivateDockerEngine.start();
        engine.loadFromSharedEngine(IMAGE);
        startAgent();
        DesiredTask before = desired();
        publish(before);
        String dockerId = awaitChange(before.taskId(), TaskStatus.RUNNING).containers().get(0).runtimeId();
        long pid = Long.parseLong(engine.docker("inspect", "-f", "{{.State.Pid}}", dockerId).output());

        // When: the engine goes down, the container's process gets SIGTERM and exits meanwhile, a task is
        // placed meanwhile, the agent resyncs against the missing engine, and the engine comes back
        Instant down = Instant.now();
        engine.stop();
        ProcessHandle container = ProcessHandle.of(pid).orElseThrow();
        container.destroy();
        await().until(() -> !container.isAlive());
        DesiredTask meanwhile = desired();
        publish(meanwhile);
        awaitResyncAfter(Instant.now());
        assertThat(changes(before.taskId())).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING);
        // ... and the agent's heartbeat says the engine does not answer (CONTAINER_INSTANCE_HEALTH)
        InstanceRegistration.RuntimeHealth impaired = awaitRuntimeHealth(InstanceRegistration.RuntimeHealth.IMPAIRED);
        assertThat(impaired.lastStatusChange()).isAfter(down);
        engine.startAgain();

        // Then: the exit is reported with the container's own exit code, never as a vanished container,
        // and the task placed meanwhile runs on the engine that is back
        TaskStateChange stopped = awaitChange(before.taskId(), TaskStatus.STOPPED);
        assertThat(stopped.containers().get(0).runtimeId()).isEqualTo(dockerId);
        assertThat(stopped.containers().get(0).exitCode()).isEqualTo(143);
        assertThat(stopped.stopCode()).isEqualTo(StopCode.EssentialContainerExited.name());
        assertThat(changes(before.taskId())).extracting(TaskStateChange::lastStatus)
                .containsExactly(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.STOPPED);
        String meanwhileId = awaitChange(meanwhile.taskId(), TaskStatus.RUNNING).containers().get(0).runtimeId();
        assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", meanwhileId).output()).isEqualTo("true");
        assertThat(agent.isReady()).isTrue();
        assertThat(awaitRuntimeHealth(InstanceRegistration.RuntimeHealth.OK).lastStatusChange())
                .isAfter(impaired.lastStatusChange());
    }

    /** The runtime health that the agent's latest registration on berth.instances says, once it says {@code status}. */
    private InstanceRegistration.RuntimeHealth awaitRuntimeHealth(String status) {
        return await().until(() -> {
            List<InstanceRegistration> registrations = TopicRecords.readAll(kafka.bootstrapServers(),
                    "berth.instances", Duration.ofSeconds(10)).stream()
                    .filter(r -> instanceId.equals(r.key()) && r.value() != null)
                    .map(r -> CODEC.decode(r.value().getBytes(StandardCharsets.UTF_8)))
                    .filter(d -> d instanceof RecordCodec.Decoded.Record)
                    .map(d -> (InstanceRegistration) ((RecordCodec.Decoded.Record) d).value())
                    .toList();
            return registrations.isEmpty() ? null : registrations.get(registrations.size() - 1).runtimeHealth();
        }, health -> health != null && status.equals(health.status()));
    }

    @Test
    void aHungEngineCostsNoThreadsBeyondTheBoundsAndTheAgentActsAgainOnceItAnswers() throws Exception {
        assumeTrue(PrivateDockerEngine.available(), "a private dockerd needs root and Debian's docker.io");
        // Given: an agent with 2 task threads (so at most 4 Docker call threads), running a task
        engine = PrivateDockerEngine.start();
        engine.loadFromSharedEngine(IMAGE);
        startAgent();
        DesiredTask running = desired();
        publish(running);
        awaitChange(running.taskId(), TaskStatus.RUNNING);

        // When: the engine hangs while tasks are placed and stopped, through many resyncs
        engine.freeze();
        List<DesiredTask> placed = List.of(desired(), desired(), desired(), desired(), desired());
        for (DesiredTask task : placed) {
            publish(task);
        }
        publish(running.stop(running.version() + 1, "UserInitiated", "while the engine hangs"));
        int mostCallThreads = 0;
        int mostTaskThreads = 0;
        for (int resync = 0; resync < 8; resync++) {
            awaitResyncAfter(Instant.now());
            mostCallThreads = Math.max(mostCallThreads, threadsNamed("berth-docker-call-"));
            mostTaskThreads = Math.max(mostTaskThreads, threadsNamed("berth-agent-task-"));
        }

        // Then: the threads stayed within their bounds, and nothing was declared
        assertThat(mostCallThreads).isGreaterThan(0).isLessThanOrEqualTo(2 * WORKER_THREADS);
        assertThat(mostTaskThreads).isGreaterThan(0).isLessThanOrEqualTo(WORKER_THREADS);
        assertThat(changes(running.taskId())).extracting(TaskStateChange::lastStatus)
                .doesNotContain(TaskStatus.STOPPED);

        // When: the engine answers again
        engine.thaw();

        // Then: the stop takes effect and the tasks placed meanwhile run
        assertThat(awaitChange(running.taskId(), TaskStatus.STOPPED).stoppedReason())
                .isEqualTo("while the engine hangs");
        for (DesiredTask task : placed) {
            awaitChange(task.taskId(), TaskStatus.RUNNING);
        }
    }

    private int threadsNamed(String prefix) {
        Thread[] threads = new Thread[agentThreads.activeCount() + 64];
        int n = agentThreads.enumerate(threads);
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (threads[i].isAlive() && threads[i].getName().startsWith(prefix)) {
                count++;
            }
        }
        return count;
    }

    private void awaitResyncAfter(Instant after) {
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.running().flatMap(r -> r.engine().lastResync())
                .filter(at -> at.isAfter(after)).isPresent());
    }

    private void startAgent() throws Exception {
        kafka = TestKafka.start();
        Path dataDir = Files.createTempDirectory("berth-engine-restart-it");
        Map<String, String> base = Map.of(
                "berth.agent.cluster", CLUSTER,
                "berth.agent.docker-host", engine.host(),
                "berth.agent.resync-interval", "2s",
                // Long enough for a loaded build machine's engine to create a container,
                // short enough that a hung engine costs the test little.
                "berth.agent.docker-call-timeout", "4s",
                "berth.agent.worker-threads", String.valueOf(WORKER_THREADS),
                "berth.agent.introspection-port", "-1",
                "berth.agent.task-metadata-port", "-1",
                "berth.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "berth.kafka.retry-backoff", "100ms",
                "berth.kafka.retry-backoff-max", "1s");
        Map<String, String> config = new java.util.HashMap<>(base);
        config.put("berth.agent.heartbeat-interval", "500ms");
        // Started from a thread of agentThreads, so that every thread the agent makes joins that group.
        TestAgent[] started = new TestAgent[1];
        Exception[] failed = new Exception[1];
        Thread starter = new Thread(agentThreads, () -> {
            try {
                started[0] = TestAgent.start(config, dataDir);
            } catch (Exception e) {
                failed[0] = e;
            }
        }, "engine-outage-agent-starter");
        starter.start();
        starter.join();
        if (failed[0] != null) {
            throw failed[0];
        }
        agent = started[0].agent();
        scheduler = started[0].scheduler();
        instanceId = started[0].instanceId();
    }

    /** The sleeper without a network, so nothing of the test reaches past the private engine. */
    private DesiredTask desired() {
        TaskDefinition definition = Fixtures.withContainerField(
                Fixtures.withTaskField(Fixtures.sleeperTaskDefinition(), "networkMode", "none"), "app", "portMappings",
                null);
        String taskId = UUID.randomUUID().toString().replace("-", "");
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/" + CLUSTER + "/" + taskId, CLUSTER, instanceId, definition,
                null, TaskStatus.RUNNING, null, "family:sleeper", Instant.now(), null, null);
    }

    private void publish(DesiredTask task) throws Exception {
        scheduler.publish(Topic.TASKS, Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS)),
                task.taskId(), task);
    }

    private List<TaskStateChange> changes(String taskId) {
        return TopicRecords.readAll(kafka.bootstrapServers(), "berth.task-events", Duration.ofSeconds(10)).stream()
                .filter(r -> taskId.equals(r.key()) && r.value() != null)
                .map(r -> CODEC.decode(r.value().getBytes(StandardCharsets.UTF_8)))
                .filter(d -> d instanceof RecordCodec.Decoded.Record)
                .map(d -> (TaskStateChange) ((RecordCodec.Decoded.Record) d).value())
                .collect(Collectors.toList());
    }

    private TaskStateChange awaitChange(String taskId, TaskStatus status) {
        return await().until(() -> changes(taskId).stream().filter(c -> c.lastStatus() == status).findFirst()
                .orElse(null), c -> c != null);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250));
    }
}
