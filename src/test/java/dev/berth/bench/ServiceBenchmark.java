package dev.berth.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.e2e.BerthProcess;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.TestKafka;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The services benchmark (issue 7, item 8): a real broker in this JVM, the packaged scheduler
 * binary, thousands of hollow agents, and (a) a DAEMON service over every instance, (b) a
 * REPLICA service rolled to a new task definition revision, each against its target and a
 * baseline measured in the same run. A command, never a test:
 * {@code mvn -B -DskipTests package exec:exec@bench-services} (README, Benchmarks).
 */
public final class ServiceBenchmark {

    static final String CLUSTER = "bench";
    static final String DAEMON = "bench-daemon";
    static final String WARM_UP = "bench-warm-up";
    static final String REPLICA = "bench-replica";
    private static final Duration START_PATIENCE = Duration.ofMinutes(3);
    private static final Duration FAST_POLL = Duration.ofMillis(5);
    private static final int BASELINE_TRANSACTION = 1_000;

    private final int instances = Integer.getInteger("bench.instances", 5_000);
    private final int replicas = Integer.getInteger("bench.replicas", 10_000);
    private final int maximumPercent = Integer.getInteger("bench.maximum-percent", 200);
    /** How often DescribeServices is polled; each call folds every task of the service in the scheduler. */
    private final Duration apiPoll = Duration.ofMillis(Integer.getInteger("bench.describe-poll-ms", 50));
    private final Duration budget = Duration.ofSeconds(Integer.getInteger("bench.service-budget-seconds", 300));
    /** Which figures to measure: {@code a} (DAEMON), {@code b} (REPLICA rollout), or both. */
    private final String figures = System.getProperty("bench.figures", "ab");
    private final ResultTable table = new ResultTable();
    private String bootstrap;
    private BerthProcess scheduler;
    private EcsApi api;
    private HollowAgents agents;

    public static void main(String[] args) throws Exception {
        ServiceBenchmark benchmark = new ServiceBenchmark();
        int status = 0;
        try {
            benchmark.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            status = 1;
        }
        benchmark.table.print(System.out, ControlPlaneBenchmark.Machine.describe());
        System.exit(status);
    }

    private void run() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            bootstrap = kafka.bootstrapServers();
            SchedulerLauncher launcher = new SchedulerLauncher(bootstrap);
            try {
                scheduler = launcher.start("bench-services-scheduler", Map.of());
                launcher.awaitReady(scheduler, START_PATIENCE);
                api = SchedulerLauncher.api(scheduler);
                BenchCluster.create(api, CLUSTER);
                agents = HollowAgents.start(bootstrap, CLUSTER, instances, BenchCluster.INSTANCE_CAPACITY);
                require("the scheduler lists every hollow instance", START_PATIENCE, () -> quietly(
                        () -> BenchCluster.instances(api, CLUSTER) == instances));
                ControlPlaneBenchmark.log("%,d hollow instances registered", instances);
                if (figures.contains("a")) {
                    daemon();
                }
                if (figures.contains("b")) {
                    replica();
                }
            } finally {
                if (agents != null) {
                    agents.close();
                }
                if (scheduler != null) {
                    scheduler.close();
                }
            }
        }
    }

    /**
     * A DAEMON service created, run and deleted before (a) is measured, so that (a) sees a
     * scheduler, agents and readers that have run a service before (the code on its paths
     * compiled), as a scheduler in production has, not the first service of a fresh JVM.
     */
    private void warmUp() throws Exception {
        try (ServiceTaskWatch watch = ServiceTaskWatch.start(bootstrap, WARM_UP)) {
            ControlPlaneBenchmark.log("warm-up: a DAEMON service over %,d instances, then deleted", instances);
            api.call("CreateService", service(WARM_UP).put("schedulingStrategy", "DAEMON"));
            require("the warm-up daemon runs everywhere", budget, () -> quietly(
                    () -> ServiceStatus.describe(api, CLUSTER, WARM_UP).runningCount() >= instances));
            api.call("DeleteService", EcsApi.body().put("cluster", CLUSTER).put("service", WARM_UP).put("force", true));
            require("the warm-up daemon's tasks are all STOPPED", budget, () -> watch.live() == 0);
        }
    }

    /** (a): CreateService DAEMON, until every task is on berth.tasks, then RUNNING per DescribeServices. */
    private void daemon() throws Exception {
        warmUp();
        try (ServiceTaskWatch watch = ServiceTaskWatch.start(bootstrap, DAEMON)) {
            require("the watch has read what Kafka held before", START_PATIENCE, watch::caughtUp);
            ControlPlaneBenchmark.log("(a) DAEMON service over %,d instances", instances);
            double committedMs;
            long startedAt = System.currentTimeMillis();
            long start;
            double answeredMs;
            try (CommitWatch commits = CommitWatch.start(bootstrap, DAEMON)) {
                startedAt = System.currentTimeMillis();
                start = System.nanoTime();
                api.call("CreateService", service(DAEMON).put("schedulingStrategy", "DAEMON"));
                answeredMs = since(start);
                long committedAt = commits.awaitCommitted(instances, budget);
                committedMs = committedAt < 0 ? Double.NaN : (committedAt - start) / 1e6;
            }
            boolean placed = BenchWait.until(budget, FAST_POLL, () -> watch.placed() >= instances);
            double placedMs = since(start);
            boolean reported = BenchWait.until(budget, FAST_POLL, () -> watch.reportedRunning() >= instances);
            double reportedMs = since(start);
            int[] running = {0};
            boolean allRunning = BenchWait.until(budget, apiPoll, () -> quietly(() -> {
                running[0] = ServiceStatus.describe(api, CLUSTER, DAEMON).runningCount();
                return running[0] >= instances;
            }));
            double runningMs = since(start);
            double baselineMs = kafkaBaselineMillis(instances);
            table.add(ServiceFigures.daemonCommitted(instances, committedMs, budget, answeredMs, baselineMs,
                    watch.firstSentAt() - startedAt, watch.lastSentAt() - startedAt));
            table.add(ServiceFigures.daemonRead(instances, placed ? placedMs : Double.NaN, watch.placed(), budget,
                    committedMs));
            table.add(ServiceFigures.daemonRunning(instances, allRunning ? runningMs : Double.NaN, running[0],
                    budget, reported ? reportedMs : Double.NaN, watch.reportedRunning(), apiPoll));
            api.call("DeleteService", EcsApi.body().put("cluster", CLUSTER).put("service", DAEMON).put("force", true));
            warnUnless("the daemon's tasks are all STOPPED", () -> watch.live() == 0);
        }
    }

    /** (b): a REPLICA service at its desired count, rolled to the next revision, until COMPLETED. */
    private void replica() throws Exception {
        try (ServiceTaskWatch watch = ServiceTaskWatch.start(bootstrap, REPLICA)) {
            require("the watch has read what Kafka held before", START_PATIENCE, watch::caughtUp);
            ControlPlaneBenchmark.log("(b) REPLICA service of %,d tasks: creating", replicas);
            ObjectNode create = service(REPLICA).put("desiredCount", replicas);
            create.putObject("deploymentConfiguration").put("maximumPercent", maximumPercent)
                    .put("minimumHealthyPercent", 100);
            long start = System.nanoTime();
            api.call("CreateService", create);
            boolean steady = BenchWait.until(budget, apiPoll, () -> quietly(() -> {
                ServiceStatus s = ServiceStatus.describe(api, CLUSTER, REPLICA);
                return s.completedOn(BenchCluster.FAMILY + ":1") && s.runningCount() >= replicas;
            }));
            double createMs = since(start);
            String next = BenchCluster.registerRevision(api);
            ControlPlaneBenchmark.log("(b) rolling %s to %s", REPLICA, next);
            watch.resetHighest();
            RolloutWatch rollout = new RolloutWatch(apiPoll);
            start = System.nanoTime();
            api.call("UpdateService", EcsApi.body().put("cluster", CLUSTER).put("service", REPLICA)
                    .put("taskDefinition", next));
            boolean completed = BenchWait.until(budget, apiPoll, () -> quietly(() -> rollout.sees(
                    ServiceStatus.describe(api, CLUSTER, REPLICA), next)));
            double rolloutMs = since(start);
            table.add(ServiceFigures.rollout(replicas, instances, completed ? rolloutMs : Double.NaN, budget,
                    steady ? createMs : Double.NaN, rollout));
            table.add(ServiceFigures.rolloutPeak(replicas, maximumPercent, watch.highest(), rollout, completed));
        }
    }

    /** What DescribeServices showed during the rollout: the lowest runningCount and the last status. */
    static final class RolloutWatch {
        private final Duration poll;
        private int lowestRunning = Integer.MAX_VALUE;
        private int polls;
        private ServiceStatus last;

        RolloutWatch(Duration poll) {
            this.poll = poll;
        }

        long pollMillis() {
            return poll.toMillis();
        }

        boolean sees(ServiceStatus status, String revision) {
            polls++;
            last = status;
            lowestRunning = Math.min(lowestRunning, status.runningCount());
            return status.completedOn(revision) && status.runningCount() >= status.desiredCount();
        }

        int lowestRunning() {
            return lowestRunning;
        }

        int polls() {
            return polls;
        }

        ServiceStatus last() {
            return last;
        }
    }

    private ObjectNode service(String name) {
        return EcsApi.body().put("cluster", CLUSTER).put("serviceName", name)
                .put("taskDefinition", BenchCluster.FAMILY + ":1");
    }

    /** Raw Kafka: one transactional producer writing as many desired-task records, in transactions of 1,000. */
    private double kafkaBaselineMillis(int records) throws Exception {
        try (KafkaBaseline baseline = new KafkaBaseline(bootstrap, ControlPlaneBenchmark.PARTITIONS,
                new RecordCodec().encode(agents.template()))) {
            return records / baseline.recordsPerSecond(Math.max(1, records / BASELINE_TRANSACTION),
                    BASELINE_TRANSACTION) * 1_000;
        }
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private void require(String what, Duration patience, BooleanSupplier condition) {
        if (!BenchWait.until(patience, Duration.ofMillis(250), condition)) {
            throw new IllegalStateException("gave up after " + patience + " waiting until " + what);
        }
    }

    private void warnUnless(String what, BooleanSupplier condition) {
        if (!BenchWait.until(budget, Duration.ofMillis(250), condition)) {
            ControlPlaneBenchmark.log("WARNING: gave up after %s waiting until %s; going on", budget, what);
        }
    }

    private static boolean quietly(ControlPlaneBenchmark.Check check) {
        try {
            return check.holds();
        } catch (Exception notYet) {
            return false;
        }
    }
}
