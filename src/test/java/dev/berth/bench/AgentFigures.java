package dev.berth.bench;

import dev.berth.testing.DockerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The agent benchmark's lines of the table, each with its target from issue 10 and its same-run baseline. */
final class AgentFigures {

    static final double LATENCY_RATIO_TARGET = 1.15;
    static final double LATENCY_ADDED_TARGET_MS = 25;
    static final double BURST_RATIO_TARGET = 0.9;
    static final double RSS_RATIO_TARGET = 1.2;
    static final double RECONCILE_AFTER_READY_TARGET_MS = 1_000;

    private AgentFigures() {
    }

    static Figure latency(double[] berth, double[] engine, double[] engineDefaultWeight, int cpuShares, int warmUp,
            String split) {
        double p50 = Percentiles.of(berth, 50);
        double p99 = Percentiles.of(berth, 99);
        double engineP50 = Percentiles.of(engine, 50);
        double engineP99 = Percentiles.of(engine, 99);
        double ratio = p50 / engineP50;
        boolean met = ratio <= LATENCY_RATIO_TARGET && p50 - engineP50 <= LATENCY_ADDED_TARGET_MS;
        double defaultP50 = Percentiles.of(engineDefaultWeight, 50);
        return new Figure("(a) desired record → RUNNING record, one task at a time",
                String.format("p50 %.0f ms, p99 %.0f ms", p50, p99), "≤ 1.15× and ≤ +25 ms at p50",
                met ? Figure.Verdict.MET : Figure.Verdict.MISSED,
                String.format("docker-java create+start: p50 %.0f ms, p99 %.0f ms", engineP50, engineP99),
                String.format("%.2f× (%+.0f ms) at p50", ratio, p50 - engineP50),
                String.format("%d samples each after %d warm-up; the same image, command, memory limit and CPU weight "
                        + "(%d shares); with Docker's default weight the baseline's p50 is %.0f ms (%.2f×, %+.0f ms); %s",
                        berth.length, warmUp, cpuShares, defaultP50, p50 / defaultP50, p50 - defaultP50, split));
    }

    static Figure burst(double berthMs, double engineMs, int tasks, int parallelism) {
        double berthRate = tasks / (berthMs / 1000);
        double engineRate = tasks / (engineMs / 1000);
        double ratio = berthRate / engineRate;
        return new Figure(String.format("(b) burst of %d tasks until all RUNNING", tasks),
                String.format("%.1f s (%.1f tasks/s)", berthMs / 1000, berthRate), "≥ 0.9× the engine's rate",
                Figure.atLeast(ratio, BURST_RATIO_TARGET),
                String.format("%d create+starts on %d threads: %.1f s (%.1f /s)", tasks, parallelism, engineMs / 1000,
                        engineRate),
                String.format("%.2f×", ratio), "all desired records written at once on the agent's partition; the "
                        + "baseline's containers with the task's CPU weight");
    }

    /** Resident memory of the agent and of dockerd, KiB, and the agent's thread count, at one moment. */
    record Reading(long agentKib, long dockerdKib, long agentThreads) {
        double ratio() {
            return (double) agentKib / dockerdKib;
        }
    }

    /** The verdict is on the reading right after the burst; the settled one is in the notes. */
    static Figure memory(Reading now, Reading settled, Duration settle, int tasks, String jvmOptions) {
        return new Figure(String.format("(c) agent RSS with %d running tasks", tasks),
                String.format("%.0f MiB", now.agentKib() / 1024.0), "≤ 1.2× dockerd's",
                Figure.atMost(now.ratio(), RSS_RATIO_TARGET), String.format("dockerd: %.0f MiB", now.dockerdKib() / 1024.0),
                String.format("%.2f×", now.ratio()), String.format("right after the burst, %d agent threads; %d s later "
                        + "%.0f MiB against dockerd's %.0f MiB (%.2f×), %d threads; agent role only, JVM mode, as "
                        + "berth-agent.service starts it: %s", now.agentThreads(), settle.toSeconds(),
                        settled.agentKib() / 1024.0, settled.dockerdKib() / 1024.0, settled.ratio(),
                        settled.agentThreads(), jvmOptions));
    }

    static Figure restart(double readyMs, double reconciledMs, int containers, int restarted, int changesSent) {
        double afterReady = reconciledMs - readyMs;
        boolean met = afterReady <= RECONCILE_AFTER_READY_TARGET_MS && restarted == 0;
        return new Figure(String.format("(d) kill -9, restart with %d containers running", containers),
                String.format("all reconciled %.1f s after exec (%.0f ms after ready); %d restarted", reconciledMs / 1000,
                        afterReady, restarted), "≤ 1 s after ready, 0 restarts",
                met ? Figure.Verdict.MET : Figure.Verdict.MISSED,
                String.format("ready (its partition read, registered) %.1f s after exec, JVM start included",
                        readyMs / 1000), "-",
                String.format("reconciled = every task synced once by the new process (its reconcile timer); %d state "
                        + "changes sent after the restart", changesSent));
    }

    /** The machine, for the table's heading. */
    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> String.format("%.0f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
                .orElse("?");
        return String.format("%d cores (%s), %s RAM, Docker %s (%s storage driver), Java %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory,
                DockerCli.run("version", "--format", "{{.Server.Version}}"),
                DockerCli.run("info", "--format", "{{.Driver}}"), System.getProperty("java.version"));
    }
}
