package dev.berth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure (b): one RunTask of one task at a time, at a steady pace, each timed from request to
 * answer; every answered task is then read back on berth.tasks by the hollow agents.
 */
final class RunTaskLatency {

    /** The latency sample of one run. */
    record Result(double[] sortedMillis, int errors, int unseen, double seconds, String firstError) {

        double p50() {
            return Percentiles.of(sortedMillis, 50);
        }

        double p99() {
            return Percentiles.of(sortedMillis, 99);
        }

        int samples() {
            return sortedMillis.length;
        }
    }

    /** Calls per second the probe sends: a steady trickle that measures latency, not a queue. */
    private static final Duration PACE = Duration.ofMillis(50);
    private static final Duration READ_BACK_PATIENCE = Duration.ofSeconds(60);

    private final EcsApi api;
    private final HollowAgents agents;
    private final String cluster;

    RunTaskLatency(EcsApi api, HollowAgents agents, String cluster) {
        this.api = api;
        this.agents = agents;
        this.cluster = cluster;
    }

    Result measure(int calls, Duration budget) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int errors = 0;
        String firstError = "";
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        for (int i = 0; i < calls && System.nanoTime() < deadline; i++) {
            long sent = System.nanoTime();
            try {
                JsonNode answer = api.call("RunTask", BenchCluster.runTask(cluster, 1));
                millis.add((System.nanoTime() - sent) / 1e6);
                answer.path("tasks").forEach(t -> ids.add(BenchCluster.taskId(t.path("taskArn").asText())));
            } catch (EcsCallException e) {
                errors++;
                firstError = firstError.isEmpty() ? e.getMessage() : firstError;
            }
            long next = sent + PACE.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                BenchWait.pace(Duration.ofNanos(wait));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        java.util.concurrent.atomic.AtomicReference<List<String>> unseen =
                new java.util.concurrent.atomic.AtomicReference<>(agents.unseen(ids));
        BenchWait.until(READ_BACK_PATIENCE, Duration.ofMillis(100),
                () -> unseen.updateAndGet(agents::unseen).isEmpty());
        return new Result(Percentiles.sorted(millis), errors, unseen.get().size(), seconds, firstError);
    }
}
