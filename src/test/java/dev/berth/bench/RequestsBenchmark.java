package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bench.Figure.Verdict;
import dev.berth.e2e.BerthProcess;
import dev.berth.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kafka interface's load benchmark (issue 8, item 5): a real broker in this JVM, the
 * packaged scheduler, hollow agents, and RunTask driven two ways in the same run: through
 * berth.requests by a plain producer (responses read on berth.responses), and through the HTTP
 * API. A command, never a test: {@code mvn -B -DskipTests package exec:exec@bench-requests}
 * (README, Benchmarks).
 *
 * <ul>
 *   <li>(a) throughput: {@code bench.calls} RunTask of one task each, all sent at once on
 *       Kafka (the producer does not wait), against the same number through HTTP from
 *       {@code bench.concurrency} concurrent callers. Target: Kafka ≥ 5× HTTP.</li>
 *   <li>(b) latency: {@code bench.latency-calls} RunTask requests at {@code bench.rate} per
 *       second, each from its send to its response read; against Kafka's own end-to-end time
 *       of a plain record on the same broker at the same pace. Target: p99 ≤ 2 × Kafka's p99 +
 *       20 ms.</li>
 *   <li>(c) to RUNNING: the same paced requests, each from its send to the task's first "ECS
 *       Task State Change" event with lastStatus RUNNING on berth.events (the hollow agents
 *       report RUNNING as soon as they read the task); against the same through the HTTP API
 *       (from the call to the same event). Reported, no bound.</li>
 * </ul>
 *
 * <p>Every measure, the baselines too, starts on a quiet machine: every task of the phase
 * before seen RUNNING on berth.events, then the machine quiet ({@link QuietStart}).
 */
public final class RequestsBenchmark {

    static final String CLUSTER = "bench";
    private static final Duration START_PATIENCE = Duration.ofMinutes(3);
    private static final Duration ANSWER_PATIENCE = Duration.ofMinutes(3);
    private static final double THROUGHPUT_RATIO_TARGET = 5;

    private final int instances = Integer.getInteger("bench.instances", 500);
    private final int calls = Integer.getInteger("bench.calls", 2_000);
    private final int concurrency = Integer.getInteger("bench.concurrency", 64);
    private final int latencyCalls = Integer.getInteger("bench.latency-calls", 200);
    private final int rate = Integer.getInteger("bench.rate", 20);
    private final ResultTable table = new ResultTable();
    private final AtomicInteger ids = new AtomicInteger();
    private EcsApi api;
    /** The scheduler's process, once started. */
    private BerthProcess schedulerProcess;

    public static void main(String[] args) throws Exception {
        RequestsBenchmark benchmark = new RequestsBenchmark();
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
            String bootstrap = kafka.bootstrapServers();
            SchedulerLauncher launcher = new SchedulerLauncher(bootstrap);
            BerthProcess scheduler = null;
            HollowAgents agents = null;
            try {
                scheduler = launcher.start("bench-requests-scheduler", Map.of());
                launcher.awaitReady(scheduler, START_PATIENCE);
                api = SchedulerLauncher.api(scheduler);
                schedulerProcess = scheduler;
                BenchCluster.create(api, CLUSTER);
                agents = HollowAgents.start(bootstrap, CLUSTER, instances, BenchCluster.INSTANCE_CAPACITY);
                HollowAgents registered = agents;
                if (!BenchWait.until(START_PATIENCE, Duration.ofMillis(200),
                        () -> quietly(() -> BenchCluster.instances(api, CLUSTER) == registered.instanceIds().size()))) {
                    throw new IllegalStateException("the scheduler does not list every hollow instance");
                }
                ControlPlaneBenchmark.log("%,d hollow instances registered", instances);
                try (RequestTraffic traffic = new RequestTraffic(bootstrap);
                        RunningEvents events = new RunningEvents(bootstrap)) {
                    settle(events, warmUp(traffic), "the warm-up");
                    throughput(traffic, scheduler, events);
                    latency(traffic, bootstrap, events);
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

    /** 50 RunTask each way; returns the ARNs of their tasks. */
    private List<String> warmUp(RequestTraffic traffic) throws Exception {
        List<String> sent = new ArrayList<>();
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            arns.addAll(taskArns(api.call("RunTask", BenchCluster.runTask(CLUSTER, 1))));
            sent.add(sendRunTask(traffic));
        }
        traffic.flush();
        awaitAnswers(traffic, sent);
        arns.addAll(taskArns(traffic, sent));
        return arns;
    }

    private static List<String> taskArns(JsonNode runTaskResult) {
        List<String> arns = new ArrayList<>();
        for (JsonNode task : runTaskResult.path("tasks")) {
            arns.add(task.path("taskArn").asText());
        }
        return arns;
    }

    private static List<String> taskArns(RequestTraffic traffic, List<String> sent) {
        List<String> arns = new ArrayList<>();
        for (String id : sent) {
            arns.addAll(taskArns(traffic.answer(id).response().path("body")));
        }
        return arns;
    }

    /**
     * Waits until every task of a phase has its RUNNING event on berth.events, so that the
     * next phase starts on a system that has finished the work of the one before (its agents'
     * reports, the events fold and its transactions), as the baselines do.
     */
    private static void settle(RunningEvents events, Collection<String> arns, String phase)
            throws InterruptedException {
        long start = System.nanoTime();
        if (!BenchWait.until(ANSWER_PATIENCE, Duration.ofMillis(20),
                () -> arns.stream().allMatch(arn -> events.runningAt(arn) != null))) {
            long seen = arns.stream().filter(arn -> events.runningAt(arn) != null).count();
            throw new IllegalStateException(String.format("only %,d of the %,d tasks of %s were seen RUNNING on "
                    + "berth.events within %s", seen, arns.size(), phase, ANSWER_PATIENCE));
        }
        ControlPlaneBenchmark.log("%s settled: the RUNNING events of its %,d tasks were all read %d ms after it "
                + "ended", phase, arns.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /** (a): the same number of one-task RunTask calls, through Kafka at once and through HTTP concurrently. */
    private void throughput(RequestTraffic traffic, BerthProcess scheduler, RunningEvents events)
            throws Exception {
        QuietStart.await(schedulerProcess, "(a) on berth.requests");
        ControlPlaneBenchmark.log("(a) %,d RunTask requests on berth.requests, sent at once", calls);
        List<String> sent = new ArrayList<>(calls);
        Cpu kafkaCpu = new Cpu(scheduler);
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            sent.add(sendRunTask(traffic));
        }
        traffic.flush();
        long last = awaitAnswers(traffic, sent);
        double kafkaSeconds = (last - start) / 1e9;
        int kafkaTasks = tasksIn(traffic, sent);
        kafkaCpu.stop();
        settle(events, taskArns(traffic, sent), "(a) on berth.requests");

        QuietStart.await(schedulerProcess, "(a) through HTTP");
        ControlPlaneBenchmark.log("(a) %,d RunTask calls through HTTP, %d at a time", calls, concurrency);
        AtomicInteger left = new AtomicInteger(calls);
        AtomicInteger httpTasks = new AtomicInteger();
        AtomicInteger httpErrors = new AtomicInteger();
        Queue<String> httpArns = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Cpu httpCpu = new Cpu(scheduler);
        long httpStart = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        try {
                            List<String> arns = taskArns(api.call("RunTask", BenchCluster.runTask(CLUSTER, 1)));
                            httpTasks.addAndGet(arns.size());
                            httpArns.addAll(arns);
                        } catch (EcsCallException e) {
                            httpErrors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double httpSeconds = (System.nanoTime() - httpStart) / 1e9;
        httpCpu.stop();
        settle(events, httpArns, "(a) through HTTP");
        double kafkaRate = kafkaTasks / kafkaSeconds;
        double httpRate = httpTasks.get() / httpSeconds;
        table.add(new Figure("(a) RunTask throughput: berth.requests against the HTTP API",
                String.format("%,.0f tasks/s", kafkaRate), "≥ 5× the HTTP API",
                Figure.atLeast(kafkaRate / httpRate, THROUGHPUT_RATIO_TARGET),
                String.format("HTTP API, %d concurrent callers: %,.0f tasks/s", concurrency, httpRate),
                String.format("%.2f×", kafkaRate / httpRate),
                String.format("%,d RunTask of one task each way; Kafka: %,d answered with a task in %.1f s from the "
                        + "first send to the last response read; HTTP: %,d tasks in %.1f s, %d calls failed; CPU a "
                        + "task, the scheduler's + this JVM's (broker, hollow agents, callers): Kafka %s, HTTP %s", calls,
                        kafkaTasks, kafkaSeconds, httpTasks.get(), httpSeconds, httpErrors.get(),
                        kafkaCpu.perTask(kafkaTasks), httpCpu.perTask(httpTasks.get()))));
    }

    /**
     * The CPU that the scheduler's process and this JVM use over a measure: both paths share
     * the same two kinds of work, so a path's cost a task bounds what the ratio of rates can be.
     */
    private static final class Cpu {
        private final BerthProcess scheduler;
        private final long schedulerStart;
        private final long benchStart;
        private long schedulerUsed;
        private long benchUsed;

        Cpu(BerthProcess scheduler) {
            this.scheduler = scheduler;
            this.schedulerStart = scheduler.cpuMillis();
            this.benchStart = AgentProbe.cpuMillis(ProcessHandle.current().pid());
        }

        void stop() {
            schedulerUsed = scheduler.cpuMillis() - schedulerStart;
            benchUsed = AgentProbe.cpuMillis(ProcessHandle.current().pid()) - benchStart;
        }

        String perTask(int tasks) {
            return tasks == 0 ? "-" : String.format("%.2f + %.2f ms", (double) schedulerUsed / tasks,
                    (double) benchUsed / tasks);
        }
    }

    /** (b): paced requests, each timed from its send to its response, against Kafka's own round trip. */
    private void latency(RequestTraffic traffic, String bootstrap, RunningEvents events) throws Exception {
        QuietStart.await(schedulerProcess, "(b)");
        ControlPlaneBenchmark.log("(b) %d RunTask requests at %d/s, each timed", latencyCalls, rate);
        List<Double> millis = new ArrayList<>();
        long interval = 1_000_000_000L / rate;
        List<String> sent = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        List<Long> sentAtMillis = new ArrayList<>();
        long next = System.nanoTime();
        for (int i = 0; i < latencyCalls; i++) {
            BenchWait.pace(Duration.ofNanos(next - System.nanoTime()));
            sentAt.add(System.nanoTime());
            sentAtMillis.add(System.currentTimeMillis());
            sent.add(sendRunTask(traffic));
            next += interval;
        }
        traffic.flush();
        awaitAnswers(traffic, sent);
        int failed = 0;
        List<Double> toWritten = new ArrayList<>();
        List<Double> writtenToRead = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            RequestTraffic.Answer answer = traffic.answer(sent.get(i));
            millis.add((answer.readAt() - sentAt.get(i)) / 1e6);
            toWritten.add((double) (answer.writtenAtMillis() - sentAtMillis.get(i)));
            writtenToRead.add((double) (answer.readAtMillis() - answer.writtenAtMillis()));
            if (answer.response().path("statusCode").asInt() != 200) {
                failed++;
            }
        }
        double[] sorted = Percentiles.sorted(millis);
        double p50 = Percentiles.of(sorted, 50);
        double p99 = Percentiles.of(sorted, 99);
        List<String> arns = sent.stream().map(id -> traffic.answer(id).response().path("body").path("tasks").path(0)
                .path("taskArn").asText()).toList();
        double[] kafkaToRunning = untilRunning(events, arns, sentAt);
        double[] httpToRunning = httpUntilRunning(events);
        table.add(new Figure("(c) RunTask on berth.requests to its \"ECS Task State Change\" RUNNING on "
                + "berth.events, p50 / p99", String.format("%.1f / %.1f ms", Percentiles.of(kafkaToRunning, 50),
                        Percentiles.of(kafkaToRunning, 99)), "reported", Verdict.REPORTED,
                String.format("the HTTP API, the call to the same event: %.1f / %.1f ms",
                        Percentiles.of(httpToRunning, 50), Percentiles.of(httpToRunning, 99)),
                String.format("%.2f× / %.2f×", Percentiles.of(kafkaToRunning, 50) / Percentiles.of(httpToRunning, 50),
                        Percentiles.of(kafkaToRunning, 99) / Percentiles.of(httpToRunning, 99)),
                String.format("the %d paced requests of (b), and %d HTTP calls at the same pace; hollow agents report "
                        + "RUNNING as soon as they read a task; %d of %d and %d of %d events seen", latencyCalls,
                        latencyCalls, kafkaToRunning.length, latencyCalls, httpToRunning.length, latencyCalls)));
        QuietStart.await(schedulerProcess, "(b)'s baselines");
        ControlPlaneBenchmark.log("(b) Kafka's own round trip: %d records at %d/s", latencyCalls, rate);
        double[] baseline = KafkaRoundTrip.measure(bootstrap, latencyCalls, rate, 300);
        double baseP50 = Percentiles.of(baseline, 50);
        double baseP99 = Percentiles.of(baseline, 99);
        double target = 2 * baseP99 + 20;
        ControlPlaneBenchmark.log("(b) Kafka's own round trip of one-record transactions: %d at %d/s", latencyCalls,
                rate);
        double[] transactions = KafkaRoundTrip.measureTransactions(bootstrap, latencyCalls, rate, 300);
        table.add(new Figure("(b) RunTask on berth.requests, request to response, p50 / p99",
                String.format("%.1f / %.1f ms", p50, p99), String.format("p99 ≤ 2 × Kafka's p99 + 20 ms = %.1f ms",
                        target), Figure.atMost(p99, target),
                String.format("Kafka's own end-to-end, a plain record sent and read on the same broker at the same "
                        + "pace: %.1f / %.1f ms", baseP50, baseP99),
                String.format("%.1f× / %.1f×", p50 / baseP50, p99 / baseP99),
                String.format("%d requests at %d/s, one task each; %d answered with an error; p50 from the send to "
                        + "the response's CreateTime (the leader sent it in its answer's transaction) %.0f ms, and from "
                        + "there to read %.0f ms; Kafka's own end-to-end of a one-record transaction (sent, committed, "
                        + "read read_committed) at the same pace: %.1f / %.1f ms", latencyCalls, rate, failed,
                        Percentiles.of(Percentiles.sorted(toWritten), 50),
                        Percentiles.of(Percentiles.sorted(writtenToRead), 50), Percentiles.of(transactions, 50),
                        Percentiles.of(transactions, 99))));
    }

    /** From each send to its task's first RUNNING event, in ms, sorted; tasks never seen RUNNING are left out. */
    private static double[] untilRunning(RunningEvents events, List<String> arns, List<Long> sentAt)
            throws InterruptedException {
        BenchWait.until(ANSWER_PATIENCE, Duration.ofMillis(20),
                () -> arns.stream().allMatch(arn -> events.runningAt(arn) != null));
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < arns.size(); i++) {
            Long at = events.runningAt(arns.get(i));
            if (at != null) {
                millis.add((at - sentAt.get(i)) / 1e6);
            }
        }
        return Percentiles.sorted(millis);
    }

    /** The same pace through the HTTP API: each call's start to its task's first RUNNING event. */
    private double[] httpUntilRunning(RunningEvents events) throws Exception {
        QuietStart.await(schedulerProcess, "(c) through HTTP");
        ControlPlaneBenchmark.log("(c) %d RunTask calls through HTTP at %d/s, each to its RUNNING event",
                latencyCalls, rate);
        long interval = 1_000_000_000L / rate;
        List<String> arns = new ArrayList<>();
        List<Long> sentAt = new ArrayList<>();
        long next = System.nanoTime();
        for (int i = 0; i < latencyCalls; i++) {
            BenchWait.pace(Duration.ofNanos(next - System.nanoTime()));
            long start = System.nanoTime();
            try {
                arns.add(api.call("RunTask", BenchCluster.runTask(CLUSTER, 1)).path("tasks").path(0).path("taskArn")
                        .asText());
                sentAt.add(start);
            } catch (EcsCallException e) {
                ControlPlaneBenchmark.log("(c) an HTTP RunTask failed: %s", e.getMessage());
            }
            next = Math.max(next + interval, System.nanoTime());
        }
        return untilRunning(events, arns, sentAt);
    }

    private String sendRunTask(RequestTraffic traffic) {
        String id = "bench-" + ids.incrementAndGet();
        ObjectNode body = BenchCluster.runTask(CLUSTER, 1);
        traffic.send(id, "RunTask", body);
        return id;
    }

    /** Waits for every id's response; returns when the last was read ({@link System#nanoTime()}). */
    private static long awaitAnswers(RequestTraffic traffic, List<String> sent) throws InterruptedException {
        if (!BenchWait.until(ANSWER_PATIENCE, Duration.ofMillis(5),
                () -> sent.stream().allMatch(id -> traffic.answer(id) != null))) {
            long answered = sent.stream().filter(id -> traffic.answer(id) != null).count();
            throw new IllegalStateException(String.format("only %,d of %,d requests answered within %s", answered,
                    sent.size(), ANSWER_PATIENCE));
        }
        return sent.stream().mapToLong(id -> traffic.answer(id).readAt()).max().orElseThrow();
    }

    private static int tasksIn(RequestTraffic traffic, List<String> sent) {
        return sent.stream().mapToInt(id -> traffic.answer(id).response().path("body").path("tasks").size()).sum();
    }

    private static boolean quietly(java.util.concurrent.Callable<Boolean> check) {
        try {
            return check.call();
        } catch (Exception e) {
            return false;
        }
    }
}
