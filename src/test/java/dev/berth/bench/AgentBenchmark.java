package dev.berth.bench;

import dev.berth.agent.Fixtures;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerSpecs;
import dev.berth.e2e.BerthProcess;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaClients;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.RecordPublisher;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.TopicAdmin;
import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import dev.berth.testing.TestKafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The agent against real Docker and a real broker, one table (issue 10, item 9): the packaged
 * binary runs with the agent role only, with the JVM options and environment of the systemd
 * unit ({@link ShippedUnit#agent}), and this JVM plays the scheduler, writing desired tasks on the
 * agent's partition of berth.tasks and timing the RUNNING records on berth.task-events. A command, never a test:
 * {@code mvn -B -DskipTests package exec:exec@bench-agent}.
 *
 * <p>{@code -Dbench.figures=c} prints only the figures named (all four by default). The agent
 * still runs every task of the figures left out, so that (c) measures it after the same work,
 * but their Docker baselines are skipped. {@code -Dbench.agent.java-opts="..."} adds JVM
 * options after the unit's, where agent.env's {@code JAVA_OPTS} goes, to try one before it
 * ships; {@code -Dbench.agent.native-memory=true} starts the agent with Native Memory Tracking
 * and prints, after each of (c)'s two readings, the agent's {@code jcmd VM.native_memory summary},
 * {@code Compiler.codecache}, {@code Thread.print}, {@code GC.class_histogram} (which runs a
 * full collection) and {@code /proc/<pid>/smaps_rollup}; tracking costs a few MiB of its own.
 */
public final class AgentBenchmark {

    private static final String IMAGE = "berth-test/busybox:latest";
    private static final List<String> COMMAND = List.of("sh", "-c", "trap 'exit 143' TERM; sleep 3600 & wait");
    private static final int MEMORY_MIB = 32;
    /**
     * The CPU weight the agent gives the task's container, whose definition sets no cpu (ECS's
     * minimum); the baseline's container gets the same, so that both start the same container.
     */
    private static final int CPU_SHARES = ContainerSpecs.MIN_CPU_SHARES;
    private static final int WARM_UP = Integer.getInteger("bench.agent.warm-up", 3);
    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.agent.latency-samples", 40);
    /** Records run through the broker before anything is measured ({@link BrokerWarmUp}); 0: none. */
    private static final int BROKER_WARM_UP = Integer.getInteger("bench.agent.broker-warm-up", 20_000);
    private static final int BURST = 60;
    private static final int PARALLELISM = 4;
    private static final int RSS_TASKS = 50;
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    /** Longer than the 30 s after which the agent's idle task and Docker call threads end. */
    private static final Duration SETTLE = Duration.ofSeconds(35);
    /** Besides the unit's: no task metadata endpoint (it would need the bridge's address), and quiet logs. */
    private static final List<String> BENCH_OPTIONS = List.of("-Dberth.agent.task-metadata-port=0",
            "-Dquarkus.log.category.\"dev.berth\".level=WARN");

    private final String cluster = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final TaskDefinition definition = Fixtures.withContainerField(Fixtures.withContainerField(
            Fixtures.sleeperTaskDefinition(), "app", "portMappings", null), "app", "command", COMMAND);
    private TestKafka kafka;
    private RecordPublisher scheduler;
    private TaskEventWatch events;
    private BerthProcess agent;
    private String instanceId;
    private final List<DesiredTask> placed = new ArrayList<>();
    private final ShippedUnit unit;
    private final String figures;
    private final boolean nativeMemory;

    private AgentBenchmark(ShippedUnit unit, String figures, boolean nativeMemory) {
        this.unit = unit;
        this.figures = figures;
        this.nativeMemory = nativeMemory;
    }

    private boolean measures(char figure) {
        return figures.indexOf(figure) >= 0;
    }

    public static void main(String[] args) throws Exception {
        ResultTable table = new ResultTable();
        boolean nativeMemory = Boolean.getBoolean("bench.agent.native-memory");
        ShippedUnit unit = ShippedUnit.agent().withJavaOpts(System.getProperty("bench.agent.java-opts", ""));
        if (nativeMemory) {
            unit = unit.withJavaOpts("-XX:NativeMemoryTracking=summary");
        }
        AgentBenchmark bench = new AgentBenchmark(unit, System.getProperty("bench.figures", "abcd"), nativeMemory);
        try (DockerBaseline docker = new DockerBaseline("unix:///var/run/docker.sock", IMAGE, COMMAND, MEMORY_MIB)) {
            bench.start();
            Figure latency = bench.latency(docker);
            Figure burst = bench.burst(docker);
            Figure memory = bench.memory();
            for (Figure figure : new Figure[] {latency, burst, memory}) {
                if (figure != null) {
                    table.add(figure);
                }
            }
            if (bench.measures('d')) {
                table.add(bench.restart());
            }
        } finally {
            bench.close();
        }
        table.print(System.out, AgentFigures.machine());
        System.exit(0);
    }

    private void start() throws Exception {
        kafka = TestKafka.start();
        KafkaClients clients = new KafkaClients(TestKafkaSettings.of(kafka.bootstrapServers()), "bench-scheduler");
        if (!new TopicAdmin(clients).ensure(List.of(Topic.values()))) {
            throw new IllegalStateException("cannot create the topics");
        }
        if (BROKER_WARM_UP > 0) {
            System.out.printf("broker warmed with %,d records in %.1f s%n", BROKER_WARM_UP,
                    BrokerWarmUp.run(clients, BROKER_WARM_UP) / 1000);
        }
        // As the scheduler's transactional producer: no linger, each placement goes out at once.
        scheduler = new RecordPublisher(clients, new RecordCodec(), "bench-scheduler", Duration.ZERO);
        scheduler.publish(Topic.CLUSTERS, cluster, new ClusterRecord(BerthRecord.SCHEMA_VERSION, 1, cluster, "ACTIVE",
                Instant.now()));
        events = TaskEventWatch.start(clients);
        Path dataDir = Files.createTempDirectory("berth-bench-agent");
        agent = startAgent(dataDir, "bench-agent");
        AgentProbe.awaitReady(agent, PATIENCE);
        instanceId = agent.instanceId();
    }

    /** The packaged binary as the systemd unit starts it: its JVM options and its environment. */
    private BerthProcess startAgent(Path dataDir, String name) throws Exception {
        Map<String, String> env = new HashMap<>(unit.environment());
        env.putAll(Map.of("BERTH_ROLES", "agent", "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "ECS_CLUSTER",
                cluster));
        List<String> options = new ArrayList<>(unit.jvmOptions());
        options.addAll(BENCH_OPTIONS);
        return BerthProcess.start(name, dataDir, BerthProcess.freePort(), env, options);
    }

    /**
     * (a) One task at a time: desired record written until its RUNNING record is read, against
     * create+start of the same container, and of one with Docker's default CPU weight. Without
     * (a), the agent runs the same tasks and the baseline is skipped: null.
     */
    private Figure latency(DockerBaseline docker) throws Exception {
        boolean measured = measures('a');
        for (int i = 0; i < WARM_UP; i++) {
            placeAndAwaitRunning();
            if (measured) {
                docker.createAndStart(CPU_SHARES);
                docker.createAndStart(null);
            }
        }
        List<Double> berth = new ArrayList<>();
        List<Double> engine = new ArrayList<>();
        List<Double> engineDefaultWeight = new ArrayList<>();
        List<StartTimeline> berthTimelines = new ArrayList<>();
        List<StartTimeline> engineTimelines = new ArrayList<>();
        List<Double> toPending = new ArrayList<>();
        List<Double> pendingToCreated = new ArrayList<>();
        List<Double> pendingRead = new ArrayList<>();
        List<Double> pendingReportedToSent = new ArrayList<>();
        List<Double> dockerStartedToAgentStarted = new ArrayList<>();
        List<Double> agentStartedToReported = new ArrayList<>();
        List<Double> runningReportedToSent = new ArrayList<>();
        List<Double> probeHop = new ArrayList<>();
        SampleCpu berthCpu = new SampleCpu(agent.pid(), AgentProbe.dockerdPid());
        SampleCpu engineCpu = new SampleCpu(agent.pid(), AgentProbe.dockerdPid());
        Map<String, Double> agentThreads = ThreadCpu.snapshot(agent.pid());
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            DesiredTask task = desired();
            Instant asked = Instant.now();
            berthCpu.begin();
            berth.add(placeAndAwaitRunning(task));
            berthCpu.end();
            if (measured) {
                TaskEventWatch.Read running = events.firstRead(task.taskId(), TaskStatus.RUNNING);
                Instant[] engineTimes = docker.engineTimesOfLabel(BerthLabels.TASK_ID, task.taskId());
                berthTimelines.add(new StartTimeline(asked, engineTimes[0], engineTimes[1], running.created(),
                        running.read()));
                dockerStartedToAgentStarted.add(Duration.between(engineTimes[1], running.startedAt()).toNanos() / 1e6);
                agentStartedToReported.add(Duration.between(running.startedAt(), running.reportedAt()).toNanos() / 1e6);
                runningReportedToSent.add(Duration.between(running.reportedAt(), running.created()).toNanos() / 1e6);
                TaskEventWatch.Read pending = events.firstRead(task.taskId(), TaskStatus.PENDING);
                if (pending != null) {
                    toPending.add(Duration.between(asked, pending.created()).toNanos() / 1e6);
                    pendingToCreated.add(Duration.between(pending.created(), engineTimes[0]).toNanos() / 1e6);
                    pendingRead.add(Duration.between(pending.created(), pending.read()).toNanos() / 1e6);
                    pendingReportedToSent.add(Duration.between(pending.reportedAt(), pending.created()).toNanos() / 1e6);
                }
                String probeId = "probe-" + UUID.randomUUID();
                Instant probeSent = Instant.now();
                scheduler.publish(Topic.TASK_EVENTS, probeId, new TaskStateChange(BerthRecord.SCHEMA_VERSION, 1, probeId,
                        cluster, "probe", TaskStatus.RUNNING, List.of(), null, null, null, null, probeSent, null, null,
                        probeSent));
                events.awaitStatus(probeId, TaskStatus.RUNNING, PATIENCE);
                probeHop.add(Duration.between(probeSent, events.firstRead(probeId, TaskStatus.RUNNING).read()).toNanos()
                        / 1e6);
                engineCpu.begin();
                StartTimeline plain = docker.createAndStartTimed(CPU_SHARES);
                engineCpu.end();
                engineTimelines.add(plain);
                engine.add(plain.spans()[0] + plain.spans()[1] + plain.spans()[2]);
                engineDefaultWeight.add(docker.createAndStart(null));
            }
        }
        String threadsUsed = ThreadCpu.since(agent.pid(), agentThreads);
        docker.removeAll();
        stopAll();
        if (!measured) {
            return null;
        }
        String split = String.format("p50 of each span, desired record written → Created → StartedAt (Docker's own "
                + "timestamps) → RUNNING record's CreateTime → read: %s; create+start called → Created → StartedAt → "
                + "start returned: %s", StartTimeline.medians(berthTimelines), StartTimeline.medians(engineTimelines));
        System.out.println("(a) " + split);
        System.out.printf("(a) the agent's PENDING record (%d of %d): p50 written → its CreateTime %.0f ms, its "
                + "CreateTime → Created %.0f ms, its CreateTime → read %.0f ms%n", toPending.size(), berthTimelines.size(),
                Percentiles.of(Percentiles.sorted(toPending), 50), Percentiles.of(Percentiles.sorted(pendingToCreated), 50),
                Percentiles.of(Percentiles.sorted(pendingRead), 50));
        System.out.printf("(a) p50 inside the agent: PENDING reportedAt → CreateTime %.1f ms; Docker's StartedAt → "
                + "the agent's startedAt %.1f ms → its reportedAt %.1f ms → CreateTime %.1f ms%n",
                Percentiles.of(Percentiles.sorted(pendingReportedToSent), 50),
                Percentiles.of(Percentiles.sorted(dockerStartedToAgentStarted), 50),
                Percentiles.of(Percentiles.sorted(agentStartedToReported), 50),
                Percentiles.of(Percentiles.sorted(runningReportedToSent), 50));
        System.out.printf("(a) CPU used during the agent's %d samples: %s; during the baseline's: %s%n",
                berthTimelines.size(), berthCpu, engineCpu);
        System.out.printf("(a) the agent's CPU over (a)'s samples, by thread: %s%n", threadsUsed);
        System.out.printf("(a) p50 of a record this benchmark writes on berth.task-events, written → read: %.1f ms%n",
                Percentiles.of(Percentiles.sorted(probeHop), 50));
        return AgentFigures.latency(Percentiles.sorted(berth), Percentiles.sorted(engine),
                Percentiles.sorted(engineDefaultWeight), CPU_SHARES, WARM_UP, split);
    }

    private double placeAndAwaitRunning() throws Exception {
        return placeAndAwaitRunning(desired());
    }

    private double placeAndAwaitRunning(DesiredTask task) throws Exception {
        long written = System.nanoTime();
        publish(task);
        long running = events.awaitStatus(task.taskId(), TaskStatus.RUNNING, PATIENCE);
        return (running - written) / 1e6;
    }

    /**
     * (b) 60 tasks at once until all are RUNNING, against 60 create+starts on 4 threads. Without
     * (b), the agent runs the same burst and the baseline is skipped: null.
     */
    private Figure burst(DockerBaseline docker) throws Exception {
        double engineMs = 0;
        if (measures('b')) {
            engineMs = docker.burst(BURST, PARALLELISM, CPU_SHARES);
            docker.removeAll();
        }
        List<DesiredTask> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            burst.add(desired());
        }
        long agentCpu = agent.cpuMillis();
        long dockerdCpu = AgentProbe.cpuMillis(AgentProbe.dockerdPid());
        Map<String, Long> callsBefore = AgentProbe.dockerCalls(agent);
        long started = System.nanoTime();
        for (DesiredTask task : burst) {
            publish(task);
        }
        long last = 0;
        for (DesiredTask task : burst) {
            last = Math.max(last, events.awaitStatus(task.taskId(), TaskStatus.RUNNING, PATIENCE));
        }
        System.out.printf("(b) CPU used during the burst: the agent %,d ms, dockerd %,d ms; the agent's since its "
                + "start: %s%n", agent.cpuMillis() - agentCpu,
                AgentProbe.cpuMillis(AgentProbe.dockerdPid()) - dockerdCpu, ThreadCpu.byKind(agent.pid()));
        System.out.printf("(b) the agent's Docker calls during the burst: %s%n",
                AgentProbe.callsBetween(callsBefore, AgentProbe.dockerCalls(agent)));
        return measures('b') ? AgentFigures.burst((last - started) / 1e6, engineMs, BURST, PARALLELISM) : null;
    }

    /**
     * (c) The agent's RSS with 50 tasks running (10 of the burst stopped), against dockerd's.
     * Without (c) (but with (d), which needs the 50 tasks), the readings are skipped: null.
     */
    private Figure memory() throws Exception {
        List<DesiredTask> running = new ArrayList<>(placed.stream()
                .filter(t -> events.seen(t.taskId(), TaskStatus.RUNNING) && !events.seen(t.taskId(), TaskStatus.STOPPED))
                .toList());
        for (DesiredTask task : running.subList(RSS_TASKS, running.size())) {
            stop(task);
        }
        for (DesiredTask task : running.subList(RSS_TASKS, running.size())) {
            events.awaitStatus(task.taskId(), TaskStatus.STOPPED, PATIENCE);
        }
        if (!measures('c')) {
            return null;
        }
        long agentKib = AgentProbe.rssKib(agent.pid());
        long dockerdKib = AgentProbe.rssKib(AgentProbe.dockerdPid());
        long threads = AgentProbe.threads(agent.pid());
        if (nativeMemory) {
            AgentProbe.printNativeMemory(agent.pid(), System.out);
        }
        // The burst's task and Docker call threads end after 30 s idle: read the RSS again then.
        BenchWait.pace(SETTLE);
        AgentFigures.Reading settled = new AgentFigures.Reading(AgentProbe.rssKib(agent.pid()),
                AgentProbe.rssKib(AgentProbe.dockerdPid()), AgentProbe.threads(agent.pid()));
        if (nativeMemory) {
            AgentProbe.printNativeMemory(agent.pid(), System.out);
        }
        return AgentFigures.memory(new AgentFigures.Reading(agentKib, dockerdKib, threads), settled, SETTLE, RSS_TASKS,
                unit.describe());
    }

    /** (d) kill -9 with 50 containers running, then a new agent on the same data: time to ready, restarts. */
    private Figure restart() throws Exception {
        Map<String, String> startedAt = AgentProbe.startedAtOfInstance(instanceId);
        int versionsBefore = events.count();
        agent.kill();
        long exec = System.nanoTime();
        agent = startAgent(agent.dataDir(), "bench-agent-restarted");
        AgentProbe.Readiness ready = AgentProbe.awaitReady(agent, PATIENCE);
        BerthProcess restarted = agent;
        if (!BenchWait.until(PATIENCE, Duration.ofMillis(10),
                () -> AgentProbe.reconciles(restarted) >= startedAt.size())) {
            throw new IllegalStateException("the restarted agent did not sync every task; see " + agent.log());
        }
        long reconciledAt = System.nanoTime();
        Map<String, String> after = AgentProbe.startedAtOfInstance(instanceId);
        int restartedContainers = 0;
        for (Map.Entry<String, String> container : startedAt.entrySet()) {
            if (!container.getValue().equals(after.get(container.getKey()))) {
                restartedContainers++;
            }
        }
        return AgentFigures.restart((ready.readyAt() - exec) / 1e6, (reconciledAt - exec) / 1e6, startedAt.size(),
                restartedContainers, events.count() - versionsBefore);
    }

    private DesiredTask desired() {
        String taskId = UUID.randomUUID().toString().replace("-", "");
        DesiredTask task = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, taskId,
                "arn:aws:ecs:us-east-1:000000000000:task/" + cluster + "/" + taskId, cluster, instanceId, definition,
                null, TaskStatus.RUNNING, null, "family:sleeper", Instant.now(), null, null);
        placed.add(task);
        return task;
    }

    private void publish(DesiredTask task) throws Exception {
        scheduler.publish(Topic.TASKS, Partitioning.forInstance(instanceId, scheduler.partitionCount(Topic.TASKS)),
                task.taskId(), task);
    }

    private void stop(DesiredTask task) throws Exception {
        publish(task.stop(task.version() + 1, "UserInitiated", "benchmark"));
    }

    private void stopAll() throws Exception {
        for (DesiredTask task : placed) {
            if (!events.seen(task.taskId(), TaskStatus.STOPPED)) {
                stop(task);
            }
        }
        for (DesiredTask task : placed) {
            events.awaitStatus(task.taskId(), TaskStatus.STOPPED, PATIENCE);
        }
    }

    private void close() throws Exception {
        if (agent != null && agent.isAlive() && instanceId != null) {
            stopAll();
        }
        if (agent != null) {
            agent.close();
        }
        if (instanceId != null) {
            DockerCli.removeContainersOfInstance(instanceId);
        }
        if (events != null) {
            events.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
