package dev.berth.agent;

import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.agent.introspection.CallerRate;
import dev.berth.agent.introspection.IntrospectionServer;
import dev.berth.agent.introspection.MetadataTokens;
import dev.berth.agent.introspection.TaskMetadataApi;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.docker.DockerContainerRuntime;
import dev.berth.model.Arns;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The task metadata endpoint (v4) as the agent runs it: served on the Docker bridge's gateway
 * address (where a bridge-mode container reaches the host, and a local address of the host for
 * host-mode ones) unless {@code berth.agent.task-metadata-address} names another, and given to
 * every container that has a network as {@code ECS_CONTAINER_METADATA_URI_V4}.
 */
final class TaskMetadataEndpoint implements AutoCloseable {

    static final String VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";
    private static final Logger LOGGER = Logger.getLogger(TaskMetadataEndpoint.class);
    /** Stats take the engine a second or two; a few threads keep one slow caller from holding all. */
    private static final int THREADS = 4;

    private final IntrospectionServer server;

    private TaskMetadataEndpoint(IntrospectionServer server) {
        this.server = server;
    }

    /** Starts serving and injecting; empty when it is off or cannot listen (one log line says why). */
    static Optional<TaskMetadataEndpoint> start(AgentConfig config, DockerContainerRuntime docker, Path dataDir,
            Supplier<? extends Collection<TaskSnapshot>> tasks) {
        if (config.taskMetadataPort() == IntrospectionServer.OFF) {
            LOGGER.info("The task metadata endpoint is off (berth.agent.task-metadata-port=-1)");
            return Optional.empty();
        }
        Optional<String> address = config.taskMetadataAddress().or(() -> gateway(docker));
        if (address.isEmpty()) {
            LOGGER.warn("The task metadata endpoint has no address: Docker's bridge network names no gateway, its "
                    + "bridge device has no IPv4 address on this host, and berth.agent.task-metadata-address is not "
                    + "set; containers get no ECS_CONTAINER_METADATA_URI_V4");
            return Optional.empty();
        }
        TaskMetadataApi api = new TaskMetadataApi(MetadataTokens.loadOrCreate(dataDir),
                new Arns(config.arnPartition(), config.arnRegion(), config.arnAccount()), tasks, docker::stats);
        Optional<IntrospectionServer> server = IntrospectionServer.start("Task metadata", address.get(),
                config.taskMetadataPort(), api, THREADS, CallerRate.ECS_DEFAULT);
        if (server.isEmpty()) {
            return Optional.empty();
        }
        String baseUrl = "http://" + address.get() + ":" + server.get().port();
        docker.injectEnvironment(spec -> environment(api, baseUrl, spec));
        LOGGER.infof("Task metadata endpoint (v4) on %s/v4/...", baseUrl);
        return Optional.of(new TaskMetadataEndpoint(server.get()));
    }

    /** A container without a network (none mode) cannot reach the endpoint, so it is not told of one. */
    static List<String> environment(TaskMetadataApi api, String baseUrl, ContainerSpec spec) {
        if ("none".equals(spec.networkMode())) {
            return List.of();
        }
        String container = spec.labels().get(BerthLabels.CONTAINER_NAME);
        return List.of(VARIABLE + "=" + api.endpoint(baseUrl, spec.taskId(), container));
    }

    private static Optional<String> gateway(DockerContainerRuntime docker) {
        try {
            return docker.bridgeGateway();
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Cannot read Docker's bridge gateway for the task metadata endpoint: %s", e.reason());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
