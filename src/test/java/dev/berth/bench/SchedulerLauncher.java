package dev.berth.bench;

import dev.berth.e2e.BerthProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the packaged binary ({@code target/quarkus-app/quarkus-run.jar}) with the scheduler
 * role only, as production runs it (API on 127.0.0.1, unsigned; the JVM options of
 * {@code systemd/berth-scheduler.service} and {@code scheduler.env}, {@link ShippedUnit#scheduler}),
 * and waits for its readiness probe. A scheduler still alive when the benchmark's JVM exits (Ctrl-C) is killed with it.
 * With {@code -Dbench.jfr=true} each scheduler records a Java Flight Recording into
 * {@code target/<name>.jfr}, written when it stops (not on kill -9), and
 * {@code -Dbench.scheduler.java-opts="..."} adds JVM options after the unit's (split on spaces).
 */
final class SchedulerLauncher {

    private static final Duration PROBE_PERIOD = Duration.ofMillis(50);
    /** The JVM options of the shipped unit, then those of {@code -Dbench.scheduler.java-opts}. */
    static final ShippedUnit SHIPPED = shipped();
    private final String bootstrap;
    private final HttpClient http = HttpClient.newHttpClient();

    SchedulerLauncher(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    BerthProcess start(String name, Map<String, String> extraEnv) throws IOException {
        int port = BerthProcess.freePort();
        Map<String, String> env = new HashMap<>(SHIPPED.environment());
        env.putAll(Map.of("BERTH_ROLES", "scheduler", "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "QUARKUS_HTTP_HOST",
                "127.0.0.1", "BERTH_SCHEDULER_ADVERTISED_URL", "http://127.0.0.1:" + port));
        env.putAll(extraEnv);
        List<String> jvm = new ArrayList<>(SHIPPED.jvmOptions());
        if (Boolean.getBoolean("bench.jfr")) {
            jvm.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename=target/" + name + ".jfr");
        }
        BerthProcess process = BerthProcess.start(name, Files.createTempDirectory("berth-bench"), port, env, jvm);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                try {
                    process.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        return process;
    }

    private static ShippedUnit shipped() {
        try {
            return ShippedUnit.scheduler().withJavaOpts(System.getProperty("bench.scheduler.java-opts", ""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static EcsApi api(BerthProcess process) {
        return new EcsApi("http://127.0.0.1:" + process.apiPort(), Duration.ofMinutes(5));
    }

    /**
     * When, in {@link System#nanoTime()}, the probe first got an answer (the JVM and Quarkus are
     * up, Berth is rebuilding) and when it first answered 200, and the CPU time the process had
     * used by then (all its threads; unlike the wall-clock times, little moved by other load).
     */
    record Readiness(long listeningAt, long readyAt, Duration cpuAtReady) {
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 (the state is rebuilt from Kafka and a
     * leader is known).
     */
    Readiness awaitReady(BerthProcess process, Duration patience) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + process.managementPort() + "/q/health/ready");
        long[] listeningAt = {0};
        long[] readyAt = {0};
        Duration[] cpu = {Duration.ZERO};
        boolean answered = BenchWait.until(patience, PROBE_PERIOD, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the scheduler died; see " + process.log());
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                long now = System.nanoTime();
                listeningAt[0] = listeningAt[0] == 0 ? now : listeningAt[0];
                readyAt[0] = now;
                cpu[0] = Duration.ofMillis(process.cpuMillis());
                return answer.statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the scheduler", e);
            }
        });
        if (answered) {
            ControlPlaneBenchmark.log("%s used %,d ms of CPU until ready: %s", process.log().getFileName(), cpu[0].toMillis(),
                    ThreadCpu.byKind(process.pid()));
            return new Readiness(listeningAt[0], readyAt[0], cpu[0]);
        }
        throw new IllegalStateException("the scheduler was not ready within " + patience + "; see " + process.log());
    }
}
