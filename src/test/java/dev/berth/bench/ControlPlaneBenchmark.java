package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.TestKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The control plane's scale benchmark (issue 6, item 7): a real broker in this JVM, the packaged
 * scheduler binary, thousands of hollow agents, and a table of four figures against their
 * targets, each next to a baseline measured in the same run. A command, never a test:
 * {@code mvn -B -DskipTests package exec:exec@bench} (README, Benchmarks).
 */
public final class ControlPlaneBenchmark {

    static final String CLUSTER = "bench";
    /** Partitions of the Berth topics: the scheduler's default (berth.kafka.partitions). */
    static final int PARTITIONS = 6;
    private static final int WARM_UP_CALLS = 20;
    private static final Duration START_PATIENCE = Duration.ofMinutes(3);

    private final BenchSettings settings;
    private final ResultTable table = new ResultTable();

    private ControlPlaneBenchmark(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        ControlPlaneBenchmark benchmark = new ControlPlaneBenchmark(BenchSettings.fromSystemProperties());
        int status = 0;
        try {
            benchmark.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        benchmark.table.print(System.out, Machine.describe());
        System.exit(status);
    }

    private void run() throws Exception {
        if (settings.runs('a') || settings.runs('b') || settings.runs('c')) {
            try (TestKafka kafka = TestKafka.start()) {
                new OneSchedulerFigures(kafka.bootstrapServers()).run();
            }
        }
        if (settings.runs('d')) {
            try (TestKafka kafka = TestKafka.start()) {
                new FailoverFigure(kafka.bootstrapServers()).run();
            }
        }
    }

    /** Figures (a), (b) and (c), on one broker whose state grows from one figure to the next. */
    private final class OneSchedulerFigures {

        private final String bootstrap;
        private final SchedulerLauncher launcher;
        private BerthProcess scheduler;
        private EcsApi api;
        private HollowAgents agents;
        private KafkaBaseline baseline;
        private double emptyStartMillis;
        private double emptyStartCpuMillis;

        OneSchedulerFigures(String bootstrap) {
            this.bootstrap = bootstrap;
            this.launcher = new SchedulerLauncher(bootstrap);
        }

        void run() throws Exception {
            try {
                startOnEmptyKafka();
                placementThroughput();
                if (settings.runs('b')) {
                    runTaskLatency();
                }
                if (settings.runs('c')) {
                    startupTime();
                }
            } finally {
                if (agents != null) {
                    agents.close();
                }
                if (baseline != null) {
                    baseline.close();
                }
                if (scheduler != null) {
                    scheduler.close();
                }
            }
        }

        private void startOnEmptyKafka() throws Exception {
            long spawned = System.nanoTime();
            scheduler = launcher.start("bench-scheduler", Map.of());
            SchedulerLauncher.Readiness ready = launcher.awaitReady(scheduler, START_PATIENCE);
            emptyStartMillis = (ready.readyAt() - spawned) / 1e6;
            emptyStartCpuMillis = ready.cpuAtReady().toNanos() / 1e6;
            api = SchedulerLauncher.api(scheduler);
            BenchCluster.create(api, CLUSTER);
            agents = HollowAgents.start(bootstrap, CLUSTER, settings.instances(), BenchCluster.INSTANCE_CAPACITY);
            awaitOrFail("the scheduler lists every hollow instance", START_PATIENCE,
                    () -> quietly(() -> BenchCluster.instances(api, CLUSTER) == settings.instances()));
            log("%d hollow instances registered; scheduler ready on empty Kafka in %.0f ms (%.0f ms of CPU)",
                    settings.instances(), emptyStartMillis, emptyStartCpuMillis);
        }

        private void placementThroughput() throws Exception {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                api.call("RunTask", BenchCluster.runTask(CLUSTER, 1));
            }
            awaitOrFail("the hollow agents read a desired task", START_PATIENCE, () -> agents.template() != null);
            baseline = new KafkaBaseline(bootstrap, PARTITIONS, new RecordCodec().encode(agents.template()));
            if (!settings.runs('a')) {
                return;
            }
            double tenPerTransaction = baseline.recordsPerSecond(1_000, 10);
            double thousandPerTransaction = baseline.recordsPerSecond(10, 1_000);
            log("(a) placing %d tasks with %d concurrent RunTask callers", settings.tasks(), settings.concurrency());
            PlacementThroughput.Result cold = null;
            if (settings.placementWarmUp()) {
                cold = placeOnce("first pass, the scheduler's JVM freshly started");
            }
            PlacementThroughput.Result a = placeOnce(cold == null ? "" : "second pass");
            table.add(Figures.placement(a, cold, settings, tenPerTransaction, thousandPerTransaction,
                    baseline.failedTransactions()));
        }

        private PlacementThroughput.Result placeOnce(String pass) throws Exception {
            long cpuBefore = scheduler.cpuMillis();
            PlacementThroughput.Result result = new PlacementThroughput(api, agents, CLUSTER)
                    .place(settings.tasks(), settings.concurrency(), settings.placementBudget());
            log("(a) %s: %,.0f tasks/s; the scheduler used %,d ms of CPU while placing (since its start: %s)", pass,
                    result.tasksPerSecond(), scheduler.cpuMillis() - cpuBefore, ThreadCpu.byKind(scheduler.pid()));
            return result;
        }

        private void runTaskLatency() throws Exception {
            seedUpTo(settings.runningTasks());
            SchedulerMetrics metrics = new SchedulerMetrics(scheduler);
            awaitOrWarn("the scheduler holds " + settings.runningTasks() + " running tasks", settings.settleBudget(),
                    () -> metrics.tasks("RUNNING") >= settings.runningTasks());
            int running = (int) metrics.tasks("RUNNING");
            log("the scheduler's state reader is %.0f records behind on berth.instances", metrics.lag("berth.instances"));
            double[] commits = baseline.commitMillis(200);
            ConnectivityWatch watch = new ConnectivityWatch(api, CLUSTER, agents.instanceIds());
            Thread watcher = new Thread(watch, "connectivity-watch");
            watcher.start();
            log("(b) RunTask latency at %d instances and %d running tasks", settings.instances(), running);
            double[] plansBefore = metrics.planWaits();
            RunTaskLatency.Result b = new RunTaskLatency(api, agents, CLUSTER)
                    .measure(settings.latencyCalls(), settings.latencyBudget());
            double[] plansAfter = metrics.planWaits();
            int sweepsDuringB = watch.sweeps();
            awaitOrWarn("one full DescribeContainerInstances sweep", settings.settleBudget(), () -> watch.sweeps() > 0);
            watch.stop();
            watcher.join();
            double planWaits = plansAfter[0] - plansBefore[0];
            table.add(Figures.latency(b, settings.instances(), running, commits,
                    planWaits > 0 && plansBefore[0] >= 0 ? (plansAfter[1] - plansBefore[1]) * 1000 / planWaits : Double.NaN,
                    sweepsDuringB));
            table.add(Figures.connectivity(watch, settings.instances(), agents));
        }

        private void startupTime() throws Exception {
            scheduler.close();
            seedUpTo(settings.startupTasks());
            TopicReplay.Replay replay = TopicReplay.replay(bootstrap);
            long spawned = System.nanoTime();
            scheduler = launcher.start("bench-scheduler-restart", Map.of());
            SchedulerLauncher.Readiness ready = launcher.awaitReady(scheduler, START_PATIENCE);
            double readyMillis = (ready.readyAt() - spawned) / 1e6;
            double rebuildMillis = (ready.readyAt() - ready.listeningAt()) / 1e6;
            api = SchedulerLauncher.api(scheduler);
            int running = (int) new SchedulerMetrics(scheduler).tasks("RUNNING");
            table.add(Figures.startup(readyMillis, rebuildMillis, ready.cpuAtReady().toNanos() / 1e6, agents.tasksSeen(),
                    running, emptyStartMillis, replay));
        }

        /** Seeds berth.tasks until it holds {@code total} tasks, and waits until the hollow agents reported them. */
        private void seedUpTo(int total) throws Exception {
            int missing = total - agents.tasksSeen();
            if (missing > 0) {
                log("seeding %d desired tasks on berth.tasks", missing);
                new TaskSeeder(bootstrap, PARTITIONS).seed(agents.template(), agents.instanceIds(), missing);
            }
            awaitOrFail("the hollow agents report " + total + " tasks", settings.settleBudget(),
                    () -> agents.tasksSeen() >= total && agents.reportsAcknowledged() >= agents.tasksSeen());
        }
    }

    /** Figure (d), on a broker of its own. */
    private final class FailoverFigure {

        private final String bootstrap;

        FailoverFigure(String bootstrap) {
            this.bootstrap = bootstrap;
        }

        void run() throws Exception {
            SchedulerLauncher launcher = new SchedulerLauncher(bootstrap);
            List<BerthProcess> replicas = new ArrayList<>();
            HollowAgents agents = null;
            try {
                for (int i = 0; i < 3; i++) {
                    replicas.add(launcher.start("bench-replica-" + i, Map.of()));
                }
                for (BerthProcess replica : replicas) {
                    launcher.awaitReady(replica, START_PATIENCE);
                }
                EcsApi api = SchedulerLauncher.api(replicas.get(0));
                BenchCluster.create(api, CLUSTER);
                agents = HollowAgents.start(bootstrap, CLUSTER, settings.failoverInstances(),
                        BenchCluster.INSTANCE_CAPACITY);
                awaitOrFail("the scheduler lists every hollow instance", START_PATIENCE,
                        () -> quietly(() -> BenchCluster.instances(api, CLUSTER) == settings.failoverInstances()));
                int leader = leaderIndex(replicas);
                log("(d) killing replica %d, the leader, while %d clients run tasks", leader,
                        settings.failoverClients());
                FailoverDrill.Result d = new FailoverDrill(replicas, agents, CLUSTER)
                        .run(leader, settings.failoverClients(), Duration.ofSeconds(5), Duration.ofSeconds(10));
                table.add(Figures.failoverTime(d, settings.failoverInstances()));
                table.add(Figures.failoverSafety(d));
            } finally {
                if (agents != null) {
                    agents.close();
                }
                for (BerthProcess replica : replicas) {
                    replica.close();
                }
            }
        }

        private int leaderIndex(List<BerthProcess> replicas) {
            String url = new LeaderLookup(bootstrap).latest().apiUrl();
            for (int i = 0; i < replicas.size(); i++) {
                if (url.equals("http://127.0.0.1:" + replicas.get(i).apiPort())) {
                    return i;
                }
            }
            throw new IllegalStateException("no replica answers at the leader's URL " + url);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static boolean quietly(Check check) {
        try {
            return check.holds();
        } catch (Exception notYet) {
            return false;
        }
    }

    private static void awaitOrFail(String what, Duration patience, BooleanSupplier condition)
            throws InterruptedException {
        if (!await(patience, condition)) {
            throw new IllegalStateException("gave up after " + patience + " waiting until " + what);
        }
    }

    private static void awaitOrWarn(String what, Duration patience, BooleanSupplier condition)
            throws InterruptedException {
        if (!await(patience, condition)) {
            log("WARNING: gave up after %s waiting until %s; measuring anyway", patience, what);
        }
    }

    /** Polls until the condition holds or the patience is spent. */
    private static boolean await(Duration patience, BooleanSupplier condition) {
        return BenchWait.until(patience, Duration.ofMillis(250), condition);
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", Instant.now(), String.format(format, args));
    }

    /** Where the numbers were measured. */
    static final class Machine {
        private Machine() {
        }

        static String describe() throws IOException {
            long kib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
            return String.format("%d cores, %.0f GiB, Java %s, %s; the schedulers' JVM options: %s",
                    Runtime.getRuntime().availableProcessors(), kib / 1024.0 / 1024.0,
                    System.getProperty("java.version"), Instant.now().truncatedTo(ChronoUnit.MINUTES),
                    String.join(" ", SchedulerLauncher.SHIPPED.jvmOptions()));
        }
    }
}
