package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figure (a): many concurrent RunTask calls of {@code count} 10 until the target number of
 * tasks is placed (or the time budget is spent), then every answered task read back on
 * berth.tasks by the hollow agents. The rate counts only tasks read back.
 */
final class PlacementThroughput {

    /** What one run placed, and how fast. */
    record Result(int tasksAnswered, int tasksReadBack, int calls, int failedCalls, int placementFailures,
            Map<String, Integer> failureReasons, double seconds, boolean budgetSpent, String firstError) {

        double tasksPerSecond() {
            return tasksReadBack / seconds;
        }
    }

    private static final int PER_CALL = 10;
    private static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(60);

    private final EcsApi api;
    private final HollowAgents agents;
    private final String cluster;

    PlacementThroughput(EcsApi api, HollowAgents agents, String cluster) {
        this.api = api;
        this.agents = agents;
        this.cluster = cluster;
    }

    Result place(int tasks, int concurrency, Duration budget) throws Exception {
        AtomicInteger callsLeft = new AtomicInteger(tasks / PER_CALL);
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failedCalls = new AtomicInteger();
        AtomicInteger placementFailures = new AtomicInteger();
        Map<String, Integer> reasons = new ConcurrentHashMap<>();
        AtomicLong lastAnswer = new AtomicLong();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline && callsLeft.getAndDecrement() > 0) {
                        calls.incrementAndGet();
                        try {
                            JsonNode answer = api.call("RunTask", BenchCluster.runTask(cluster, PER_CALL));
                            answer.path("tasks").forEach(t -> answered.add(t.path("taskArn").asText()));
                            placementFailures.addAndGet(answer.path("failures").size());
                            answer.path("failures").forEach(f -> reasons.merge(f.path("reason").asText(), 1,
                                    Integer::sum));
                        } catch (EcsCallException e) {
                            failedCalls.incrementAndGet();
                            errors.add(e.getMessage());
                        }
                        lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
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
        double seconds = (lastAnswer.get() - start) / 1e9;
        List<String> ids = answered.stream().map(BenchCluster::taskId).toList();
        int unseen = awaitReadBack(ids);
        return new Result(ids.size(), ids.size() - unseen, calls.get(), failedCalls.get(), placementFailures.get(),
                Map.copyOf(reasons), seconds, callsLeft.get() > 0, errors.isEmpty() ? "" : errors.get(0));
    }

    /** Waits until the hollow agents have read every task on berth.tasks; returns how many they never saw. */
    private int awaitReadBack(List<String> ids) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<List<String>> unseen =
                new java.util.concurrent.atomic.AtomicReference<>(agents.unseen(ids));
        BenchWait.until(READ_BACK_PATIENCE, Duration.ofMillis(100),
                () -> unseen.updateAndGet(agents::unseen).isEmpty());
        return unseen.get().size();
    }
}
