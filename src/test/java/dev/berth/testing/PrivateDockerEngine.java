package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A second Docker engine of the test's own, so a test may stop and start an engine without
 * touching the shared one that other builds use: its own socket, data root, exec root (and so
 * its own containerd), its own bridge interface, and no iptables rules, IP forwarding or
 * masquerading. It runs with {@code --live-restore}, as production hosts should: containers
 * keep running while the engine is down.
 *
 * <p>Never {@code --bridge=none}: a dockerd without a bridge deletes the host's
 * {@code docker0} at start, which is the shared engine's bridge, and breaks every bridge-mode
 * container of the other builds. The engine gets a bridge of its own instead, made here and
 * deleted by {@link #close()}. It needs root and Debian's dockerd, as the shared
 * engine does; {@link #available()} says whether this host has them.
 */
public final class PrivateDockerEngine implements AutoCloseable {

    private static final Duration START_PATIENCE = Duration.ofSeconds(60);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

    /** The private engine's own bridge network, far from Docker's 172.17.0.0/16 default. */
    private static final String BRIDGE_ADDRESS = "10.213.%d.1/24";
    private static final Random RANDOM = new Random();

    private final Path dir;
    private final String bridge;
    private Process dockerd;

    private PrivateDockerEngine(Path dir, String bridge) {
        this.dir = dir;
        this.bridge = bridge;
    }

    /** Whether a private engine can start here: dockerd is installed and this process is root. */
    public static boolean available() {
        boolean installed = Files.isExecutable(Path.of("/usr/sbin/dockerd"))
                || Files.isExecutable(Path.of("/usr/bin/dockerd"));
        return installed && "root".equals(System.getProperty("user.name"));
    }

    /** Starts an engine under a new directory and waits until it answers. */
    public static PrivateDockerEngine start() throws IOException {
        int suffix = RANDOM.nextInt(250) + 1;
        // An interface name has at most 15 characters.
        String bridge = "berthit" + Integer.toHexString(0x1000 + RANDOM.nextInt(0xefff));
        PrivateDockerEngine engine = new PrivateDockerEngine(Files.createTempDirectory("berth-private-dockerd"),
                bridge);
        for (List<String> command : List.of(List.of("ip", "link", "add", "name", bridge, "type", "bridge"),
                List.of("ip", "addr", "add", String.format(BRIDGE_ADDRESS, suffix), "dev", bridge),
                List.of("ip", "link", "set", bridge, "up"))) {
            Result made = run(command);
            if (!made.ok()) {
                run(List.of("ip", "link", "del", bridge));
                throw new IllegalStateException("cannot make the private engine's bridge: " + made.output());
            }
        }
        engine.startAgain();
        return engine;
    }

    /** {@code unix:///...}: what the agent's {@code docker-host} is set to. */
    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    /** Starts the engine again on the same data (after {@link #stop()}), and waits until it answers. */
    public void startAgain() throws IOException {
        List<String> command = List.of("dockerd", "--host", host(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge=" + bridge, "--iptables=false", "--ip-masq=false", "--ip-forward=false",
                "--storage-driver=vfs", "--live-restore");
        dockerd = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        Awaitility.await().atMost(START_PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !dockerd.isAlive() || docker("version", "--format", "{{.Server.Version}}").ok());
        if (!dockerd.isAlive()) {
            throw new IllegalStateException("the private dockerd exited at start; see " + dir.resolve("dockerd.log"));
        }
    }

    /** Stops the engine as systemd would (SIGTERM); with live restore its containers keep running. */
    public void stop() throws InterruptedException {
        if (dockerd == null || !dockerd.isAlive()) {
            return;
        }
        dockerd.destroy();
        if (!dockerd.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            dockerd.destroyForcibly().waitFor();
        }
    }

    /** Freezes the engine (SIGSTOP): it accepts connections and answers none, as a hung engine does. */
    public void freeze() {
        signal("-STOP");
    }

    /** Lets a frozen engine run again (SIGCONT). */
    public void thaw() {
        signal("-CONT");
    }

    private void signal(String signal) {
        Result sent = run(List.of("kill", signal, Long.toString(dockerd.pid())));
        if (!sent.ok()) {
            throw new IllegalStateException("cannot send " + signal + " to the private dockerd: " + sent.output());
        }
    }

    /** Loads an image of the shared engine into this one ({@code docker save | docker load}). */
    public void loadFromSharedEngine(String image) {
        Result loaded = run(List.of("sh", "-c", "docker save " + image + " | docker -H " + host() + " load"));
        if (!loaded.ok()) {
            throw new IllegalStateException("cannot load " + image + " into the private engine: " + loaded.output());
        }
    }

    /** Runs {@code docker -H <this engine> <args>}. */
    public Result docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", host()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** What a command printed, stripped, and whether it exited 0. */
    public record Result(boolean ok, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean done = process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return new Result(done && process.exitValue() == 0, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /**
     * Removes its containers, stops it and deletes its directory, after undoing the bind mount
     * that dockerd makes of its data root and leaves behind under live restore.
     */
    @Override
    public void close() throws Exception {
        if (dockerd != null && dockerd.isAlive()) {
            thaw();
            Result ids = docker("ps", "-aq");
            if (ids.ok() && !ids.output().isEmpty()) {
                List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.output().split("\\s+")));
                docker(rm.toArray(String[]::new));
            }
        }
        stop();
        Path data = dir.resolve("data");
        if (run(List.of("mountpoint", "-q", data.toString())).ok()) {
            run(List.of("umount", data.toString()));
        }
        run(List.of("rm", "-rf", dir.toString()));
        run(List.of("ip", "link", "del", bridge));
    }
}
