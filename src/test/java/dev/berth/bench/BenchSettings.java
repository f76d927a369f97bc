package dev.berth.bench;

import java.time.Duration;

/**
 * The sizes and time budgets of one benchmark run, from {@code -Dbench.*} system properties;
 * the defaults are issue 6's figures. A budget bounds a figure that would otherwise run for
 * hours: when it is spent, the figure is reported over what was done, and says so. With
 * {@code placementWarmUp} (the default), (a) is measured on a second pass of the same size, after
 * a first pass from a freshly started scheduler whose rate is reported beside it.
 */
record BenchSettings(int instances, int tasks, int concurrency, int runningTasks, int latencyCalls,
        int startupTasks, int failoverInstances, int failoverClients, Duration placementBudget,
        Duration latencyBudget, Duration settleBudget, String figures, boolean placementWarmUp) {

    /** Whether this run measures the figure ({@code -Dbench.figures=ab}; all four by default). */
    boolean runs(char figure) {
        return figures.indexOf(figure) >= 0;
    }

    static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                Integer.getInteger("bench.instances", 5_000),
                Integer.getInteger("bench.tasks", 10_000),
                Integer.getInteger("bench.concurrency", 64),
                Integer.getInteger("bench.running-tasks", 50_000),
                Integer.getInteger("bench.latency-calls", 400),
                Integer.getInteger("bench.startup-tasks", 100_000),
                Integer.getInteger("bench.failover-instances", 500),
                Integer.getInteger("bench.failover-clients", 4),
                Duration.ofSeconds(Integer.getInteger("bench.placement-budget-seconds", 180)),
                Duration.ofSeconds(Integer.getInteger("bench.latency-budget-seconds", 120)),
                Duration.ofSeconds(Integer.getInteger("bench.settle-budget-seconds", 300)),
                System.getProperty("bench.figures", "abcd"),
                Boolean.parseBoolean(System.getProperty("bench.placement-warm-up", "true")));
    }
}
