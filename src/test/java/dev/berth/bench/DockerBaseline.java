package dev.berth.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The engine's own pace, the agent benchmark's baseline: a plain docker-java create and start of
 * the same image, command, memory limit and CPU weight as the benchmark's task, labelled so that
 * {@link #removeAll()} finds them again.
 */
final class DockerBaseline implements AutoCloseable {

    private static final String LABEL = "dev.berth-bench.baseline";
    private static final long MIB = 1024L * 1024L;

    private final DockerClient client;
    private final String image;
    private final List<String> command;
    private final int memoryMiB;

    DockerBaseline(String dockerHost, String image, List<String> command, int memoryMiB) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost)).responseTimeout(Duration.ofMinutes(2)).build());
        this.image = image;
        this.command = command;
        this.memoryMiB = memoryMiB;
    }

    /**
     * Creates and starts one container with {@code cpuShares} (null: Docker's default, 1024);
     * returns the milliseconds it took.
     */
    double createAndStart(Integer cpuShares) {
        long started = System.nanoTime();
        createAndStartContainer(cpuShares);
        return (System.nanoTime() - started) / 1e6;
    }

    /**
     * {@link #createAndStart} with its timeline: the call, the engine's Created and StartedAt,
     * the start call's return (known and read alike).
     */
    StartTimeline createAndStartTimed(Integer cpuShares) {
        Instant asked = Instant.now();
        String id = createAndStartContainer(cpuShares);
        Instant returned = Instant.now();
        Instant[] times = engineTimes(id);
        return new StartTimeline(asked, times[0], times[1], returned, returned);
    }

    private String createAndStartContainer(Integer cpuShares) {
        String id = client.createContainerCmd(image).withName("berth-bench-baseline-" + UUID.randomUUID())
                .withCmd(command).withLabels(Map.of(LABEL, "true"))
                .withHostConfig(HostConfig.newHostConfig().withMemory(memoryMiB * MIB).withCpuShares(cpuShares))
                .exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    /** The engine's Created and State.StartedAt of the one container that has the label {@code key=value}. */
    Instant[] engineTimesOfLabel(String key, String value) {
        List<Container> found = client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(key, value)).exec();
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " containers have the label " + key + "=" + value);
        }
        return engineTimes(found.get(0).getId());
    }

    private Instant[] engineTimes(String id) {
        InspectContainerResponse inspected = client.inspectContainerCmd(id).exec();
        return new Instant[] {Instant.parse(inspected.getCreated()), Instant.parse(inspected.getState().getStartedAt())};
    }

    /** {@code count} creates and starts on {@code parallelism} threads; returns the milliseconds until all ran. */
    double burst(int count, int parallelism, Integer cpuShares) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            long started = System.nanoTime();
            List<Future<Double>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                done.add(pool.submit(() -> createAndStart(cpuShares)));
            }
            for (Future<Double> f : done) {
                f.get();
            }
            return (System.nanoTime() - started) / 1e6;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Removes every baseline container, running or not. */
    void removeAll() {
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()
                .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    @Override
    public void close() throws Exception {
        removeAll();
        client.close();
    }
}
