package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import dev.berth.testing.DockerCli;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the agent benchmark reads off the agent process, Docker and /proc. */
final class AgentProbe {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration PROBE_PERIOD = Duration.ofMillis(20);
    private static final String RECONCILES = "berth_reconcile_seconds_count{loop=\"agent-task-sync\"";

    private AgentProbe() {
    }

    /** When, in {@link System#nanoTime()}, the probe was first answered and when it first answered 200. */
    record Readiness(long listeningAt, long readyAt) {
    }

    static Readiness awaitReady(BerthProcess agent, Duration patience) {
        long[] at = {0, 0};
        boolean ready = BenchWait.until(patience, PROBE_PERIOD, () -> {
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent died; see " + agent.log());
            }
            int status = get(agent, "/q/health/ready").status();
            long now = System.nanoTime();
            at[0] = status > 0 && at[0] == 0 ? now : at[0];
            at[1] = now;
            return status == 200;
        });
        if (!ready) {
            throw new IllegalStateException("the agent was not ready within " + patience + "; see " + agent.log());
        }
        return new Readiness(at[0], at[1]);
    }

    /** How many task syncs the agent has finished since it started (its reconcile timer's count). */
    static long reconciles(BerthProcess agent) {
        Answer metrics = get(agent, "/q/metrics");
        long count = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith(RECONCILES)) {
                count += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return count;
    }

    /** The agent's Docker calls so far, by call and outcome ({@code berth_docker_call_seconds_count}). */
    static Map<String, Long> dockerCalls(BerthProcess agent) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : get(agent, "/q/metrics").body().split("\n")) {
            if (line.startsWith("berth_docker_call_seconds_count{")) {
                String labels = line.substring(line.indexOf('{') + 1, line.indexOf('}')).replace("\"", "");
                calls.put(labels, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return calls;
    }

    /** The calls made between two readings of {@link #dockerCalls}, in one line. */
    static String callsBetween(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder calls = new StringBuilder();
        after.forEach((labels, count) -> {
            long made = count - before.getOrDefault(labels, 0L);
            if (made > 0) {
                calls.append(calls.length() == 0 ? "" : ", ").append(labels).append(' ').append(made);
            }
        });
        return calls.toString();
    }

    private record Answer(int status, String body) {
    }

    private static Answer get(BerthProcess agent, String path) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.managementPort() + path)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body());
        } catch (IOException notListeningYet) {
            return new Answer(0, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the agent", e);
        }
    }

    /** Resident memory of a process, KiB, from /proc. */
    static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /**
     * Where the agent's memory goes: the JVM's own account (the agent must run with
     * -XX:NativeMemoryTracking=summary), its compiled code by tier, its threads, its heap by
     * class (a full collection), and the kernel's ({@code smaps_rollup}: anonymous against
     * file-backed resident pages).
     */
    static void printNativeMemory(long pid, PrintStream out) throws IOException, InterruptedException {
        for (String command : List.of("VM.native_memory summary", "Compiler.codecache", "Thread.print",
                "GC.class_histogram")) {
            List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), Long.toString(pid)));
            words.addAll(List.of(command.split(" ")));
            Process jcmd = new ProcessBuilder(words).redirectErrorStream(true).start();
            out.println(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            jcmd.waitFor();
        }
        out.println(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
    }

    /** Threads of a process, from /proc. */
    static long threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Threads for process " + pid);
    }

    /** The CPU time a process has used, user and system, in milliseconds; 0 when it cannot be read. */
    static long cpuMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toMillis).orElse(0L);
    }

    /** The shared engine's dockerd: its pid file, else the only dockerd running. */
    static long dockerdPid() throws IOException {
        Path pidFile = Path.of("/var/run/docker.pid");
        if (Files.isReadable(pidFile)) {
            return Long.parseLong(Files.readString(pidFile).trim());
        }
        List<String> pids = List.of(new String(new ProcessBuilder("pidof", "dockerd").start().getInputStream()
                .readAllBytes()).trim().split("\\s+"));
        return Long.parseLong(pids.get(0));
    }

    /** Each container of the instance (by id) with Docker's StartedAt: a restart changes it. */
    static Map<String, String> startedAtOfInstance(String instanceId) {
        Map<String, String> startedAt = new HashMap<>();
        for (String id : DockerCli.words("ps", "-q", "--no-trunc", "--filter", "label=dev.berth.instance-id="
                + instanceId)) {
            startedAt.put(id, DockerCli.run("inspect", "-f", "{{.State.StartedAt}}", id));
        }
        return startedAt;
    }
}
