package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The packaged binary ({@code target/quarkus-app/quarkus-run.jar}) started as an operator
 * starts it, on free ports, with its own data dir and its log under {@code target/}. Public
 * for the scale benchmark ({@code dev.berth.bench}), which drives the same binary.
 */
public final class BerthProcess implements AutoCloseable {

    private static final Path JAR = Paths.get("target/quarkus-app/quarkus-run.jar");
    /** How much of the log a failure shows: enough for the start-up and the error that ended it. */
    private static final int LOG_LINES_SHOWN = 40;
    /**
     * Free ports are picked below the kernel's ephemeral range: a port from that range (what
     * binding port 0 gives) can be taken by any outgoing connection, or handed out again, in
     * the moment between the test choosing it and Berth binding it (a one-host Berth then
     * exits at start-up, its broker port taken).
     */
    private static final int LOWEST_PORT = 20000;
    private static final Path EPHEMERAL_RANGE = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> PORTS_HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int apiPort;
    private final int managementPort;

    private BerthProcess(Process process, Path dataDir, Path log, int apiPort, int managementPort) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.apiPort = apiPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the binary with the given environment (BERTH_ROLES, KAFKA_BOOTSTRAP_SERVERS...) and
     * extra system properties; BERTH_DATA_DIR, the HTTP, management and introspection ports are
     * chosen here.
     */
    public static BerthProcess start(String name, Map<String, String> env, List<String> properties) throws IOException {
        return start(name, Files.createTempDirectory("berth-" + name), freePort(), env, properties);
    }

    /** Starts the binary on a data dir and API port of the caller's choice: a restart reuses both. */
    public static BerthProcess start(String name, Path dataDir, int apiPort, Map<String, String> env, List<String> properties)
            throws IOException {
        assertThat(JAR).as("the packaged binary; run mvn package first").exists();
        Path log = Paths.get("target/" + name + ".log");
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dquarkus.http.port=" + apiPort, "-Dquarkus.management.port=" + managementPort,
                "-Dberth.agent.introspection-port=0"));
        command.addAll(properties);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("BERTH_ROLES");
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        builder.environment().put("BERTH_DATA_DIR", dataDir.toString());
        builder.environment().putAll(env);
        return new BerthProcess(builder.start(), dataDir, log, apiPort, managementPort);
    }

    public EcsClient ecs() {
        return EcsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A client that sends each call once: the error its first attempt gets is what a test reads. */
    public EcsClient ecsWithoutRetries() {
        return EcsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(java.time.Duration.ofMinutes(2)).build())
                .overrideConfiguration(o -> o.retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.none()))
                .build();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Fails when the process has exited, with its exit code and the end of its log, so an
     * {@code await(...).failFast(berth::assertRunning)} says at once why Berth never became
     * ready instead of waiting out its limit.
     */
    public void assertRunning() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("Berth exited with code " + process.exitValue() + "; the end of its log ("
                    + log + "):\n" + logTail());
        }
    }

    /** The last lines of the log, for a failure message. */
    public String logTail() throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()));
    }

    public Path log() {
        return log;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The agent's container instance id, once the agent role has created it. */
    public String instanceId() throws IOException {
        return Files.readString(dataDir.resolve("agent/instance-id")).trim();
    }

    public int apiPort() {
        return apiPort;
    }

    /** Where health ({@code /q/health/ready}) and metrics answer. */
    public int managementPort() {
        return managementPort;
    }

    /** The operating system's process id, for a profiler or {@code jcmd}. */
    public long pid() {
        return process.pid();
    }

    /** The CPU time the process has used so far, all its threads; 0 when the system does not tell. */
    public long cpuMillis() {
        return process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(0L);
    }

    /** Freezes the process, as a long GC pause or a hung host would: it holds its sockets and says nothing. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused process run again, unaware of the time it lost. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill " + signal).isZero();
    }

    /** Dies at once, as on a power cut or {@code kill -9}: nothing is flushed, nothing says goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Asks the process to stop (SIGTERM), as systemd and Kubernetes do, without waiting for it. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; false when it is still running after {@code timeout}. */
    public boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * The properties of a one-host Berth whose embedded broker listens on free ports, its
     * clients pointed at it: the same list starts it again on the same ports.
     */
    public static List<String> embeddedKafkaOnFreePorts() throws IOException {
        int kafkaPort = freePort();
        return List.of("-Dberth.kafka.embedded.port=" + kafkaPort,
                "-Dberth.kafka.embedded.controller-port=" + freePort(),
                "-Dberth.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort);
    }

    /** A port nothing listens on, below the ephemeral range, never handed out before in this JVM. */
    public static int freePort() throws IOException {
        int highest = firstEphemeralPort() - 1;
        for (int attempt = 0; attempt < 1000 && highest > LOWEST_PORT; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, highest + 1);
            if (PORTS_HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int firstEphemeralPort() {
        try {
            // (read through a stream: Files.readString gets only the first byte of a /proc file)
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768; // Linux's default range starts here
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
