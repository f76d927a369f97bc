package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.EngineFacts;
import dev.berth.agent.runtime.HostPolicy;
import dev.berth.agent.runtime.ImageDisk;
import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.agent.runtime.RuntimeCallObserver;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.agent.runtime.RuntimeImage;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@link ContainerRuntime} on a Docker engine, with docker-java. Every call runs with a
 * deadline and fails with {@link RuntimeError#DockerTimeoutError} when the engine does not
 * answer in time. docker-java's exceptions give idempotency: NotModified on start or stop
 * and NotFound on stop or remove mean done; Conflict on create means the name is taken, and
 * the container is adopted when it is this task's.
 */
public final class DockerContainerRuntime implements ContainerRuntime, AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(DockerContainerRuntime.class);
    private static final Pattern DOCKER_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** A backstop under the per-call deadlines, so no connection waits forever on a hung engine. */
    private static final Duration RESPONSE_BACKSTOP = Duration.ofMinutes(15);
    /** Docker's driver that keeps no logs: built in, and not among the log plugins {@code info} lists. */
    private static final String NO_LOGS = "none";
    /** Docker calls in flight when none is given: twice the agent's default task threads. */
    static final int DEFAULT_MAX_CALLS = 128;
    /** How long an idle call thread is kept before it ends: as a task thread ({@code TaskThreads.IDLE}). */
    private static final Duration IDLE_CALL_THREAD = Duration.ofSeconds(3);
    private volatile RuntimeCallObserver observer = RuntimeCallObserver.NONE;
    private volatile HostPolicy policy = HostPolicy.STRICT;
    private volatile Duration startTimeout;
    /** A pull whose progress stream says nothing this long has stalled, and fails (ECS's default). */
    private volatile Duration pullInactivityTimeout = Duration.ofMinutes(1);
    private volatile ImagePullBehavior pullBehavior = ImagePullBehavior.PREFER_CACHED;
    private volatile EngineSlots starts = EngineSlots.unbounded();
    private volatile String lastEngineVersion;
    /** Whether the engine answered the last call, and since when; null before the first call. */
    private volatile EngineAnswers engineAnswers;
    private volatile Function<ContainerSpec, List<String>> injectedEnvironment = spec -> List.of();
    private volatile Consumer<String> imageUse = image -> { };

    private final DockerClient client;
    private final RegistryAuth registryAuth;
    private final Duration callTimeout;
    private final Duration pullTimeout;
    private final ThreadPoolExecutor calls;
    private final Set<DockerEventStream> subscriptions = ConcurrentHashMap.newKeySet();
    /**
     * Ids of containers seen to carry the Berth labels (made here, adopted, or inspected), so
     * that a start needs no inspect first: Docker never changes a container's labels nor
     * reuses an id. Bounded; an id it has let go of costs one inspect again.
     */
    private final BerthContainerIds berthIds = new BerthContainerIds(BerthContainerIds.DEFAULT_BOUND);

    /**
     * @param registryAuth the credentials pulls log in with
     * @param maxCalls     the most Docker calls in flight. Blocking I/O ignores interrupts, so a
     *                     call that timed out keeps its thread until the engine answers (or the
     *                     response backstop passes); at the bound a new call fails at once with
     *                     {@link RuntimeError#DockerTimeoutError} instead of adding a thread.
     */
    private DockerContainerRuntime(DockerClient client, RegistryAuth registryAuth, Duration callTimeout,
            Duration pullTimeout, int maxCalls) {
        this.client = client;
        this.registryAuth = registryAuth;
        this.callTimeout = callTimeout;
        this.pullTimeout = pullTimeout;
        this.startTimeout = callTimeout;
        AtomicInteger count = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, maxCalls, IDLE_CALL_THREAD.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread thread = new Thread(r, "berth-docker-call-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** A runtime on the engine at {@code dockerHost} ({@code unix:///var/run/docker.sock}, {@code tcp://...}). */
    public static DockerContainerRuntime connect(String dockerHost, Duration callTimeout, Duration pullTimeout) {
        return connect(dockerHost, callTimeout, pullTimeout, DEFAULT_MAX_CALLS);
    }

    /** As {@link #connect(String, Duration, Duration)}, with at most {@code maxCalls} Docker calls in flight. */
    public static DockerContainerRuntime connect(String dockerHost, Duration callTimeout, Duration pullTimeout,
            int maxCalls) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build(),
                callTimeout, pullTimeout, maxCalls);
    }

    /** A runtime on {@code config}'s engine; pulls log in with the credentials of its Docker config file. */
    static DockerContainerRuntime connect(DefaultDockerClientConfig config, Duration callTimeout, Duration pullTimeout,
            int maxCalls) {
        URI host = config.getDockerHost();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(host)
                .sslConfig(SocketWithoutTls.forHost(host, config.getSSLConfig()))
                .connectionTimeout(callTimeout)
                .responseTimeout(RESPONSE_BACKSTOP)
                .build();
        return new DockerContainerRuntime(DockerClientImpl.getInstance(config, http), RegistryAuth.of(config),
                callTimeout, pullTimeout, maxCalls);
    }

    @Override
    public String engineVersion() throws ContainerRuntimeException {
        String version = call(RuntimeError.CannotListContainersError, "version", callTimeout,
                () -> client.versionCmd().exec().getVersion());
        lastEngineVersion = version;
        return version;
    }

    @Override
    public EngineFacts engineFacts() throws ContainerRuntimeException {
        Version version = call(RuntimeError.CannotListContainersError, "version", callTimeout,
                () -> client.versionCmd().exec());
        List<String> drivers = call(RuntimeError.CannotListContainersError, "info", callTimeout, this::logDrivers);
        lastEngineVersion = version.getVersion();
        return new EngineFacts(version.getVersion(), version.getApiVersion(), drivers);
    }

    private List<String> logDrivers() {
        Map<String, List<String>> plugins = client.infoCmd().exec().getPlugins();
        return plugins == null || plugins.get("Log") == null ? List.of() : plugins.get("Log");
    }

    /** The version the engine gave when {@link #engineVersion()} last answered; null before that. */
    public String lastEngineVersion() {
        return lastEngineVersion;
    }

    @Override
    public boolean hasImage(String image) throws ContainerRuntimeException {
        return call(RuntimeError.CannotPullContainerError, "inspect image " + image, callTimeout,
                () -> imagePresent(image));
    }

    private boolean imagePresent(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pull(String image) throws ContainerRuntimeException {
        ImageReference reference = ImageReference.parse(image);
        PullImageCmd command;
        try {
            command = client.pullImageCmd(reference.fromImage()).withTag(reference.tag())
                    .withAuthConfig(registryAuth.forImage(reference));
        } catch (RuntimeException e) {
            // docker-java refuses the name before anything is sent: asking again cannot help.
            throw RuntimeError.CannotPullContainerError.because(image + ": " + detail(e), e);
        }
        try {
            call(RuntimeError.CannotPullContainerError, "pull " + image, pullTimeout, () -> {
                Duration inactivity = pullInactivityTimeout;
                try (PullStream pulling = command.exec(new PullStream())) {
                    if (!pulling.awaitEnd(inactivity)) {
                        throw RuntimeError.CannotPullContainerError.because(image + ": the pull made no progress for "
                                + ContainerRuntimeException.goDuration(inactivity)
                                + " (ECS_IMAGE_PULL_INACTIVITY_TIMEOUT)");
                    }
                    if (pulling.error().isPresent()) {
                        throw RuntimeError.CannotPullContainerError.because(pulling.error().get());
                    }
                }
                return null;
            });
        } catch (ContainerRuntimeException e) {
            // A pull the engine did not finish in time fails; one never sent (every call thread
            // busy) is only inconclusive, and the next sync pulls again.
            if (e.unanswered()) {
                throw RuntimeError.CannotPullContainerError.because(image + ": " + e.reason(), e);
            }
            throw e;
        }
        imageUse.accept(image);
    }

    @Override
    public String create(ContainerSpec requested) throws ContainerRuntimeException {
        HostPolicy.Admission admission = policy.admit(requested);
        if (admission instanceof HostPolicy.Admission.Refused refused) {
            throw RuntimeError.CannotCreateContainerError.because(refused.reason());
        }
        // Host paths resolved: Docker mounts what the policy checked.
        ContainerSpec spec = ((HostPolicy.Admission.Admitted) admission).spec();
        if (spec.host().settings().logConfiguration() != null) {
            requireLogDriver(spec.host().settings().logConfiguration().logDriver());
        }
        CreateContainerCmd command;
        try {
            command = DockerContainers.fill(client.createContainerCmd(spec.image()),
                    spec.withEnvironmentFirst(injectedEnvironment.apply(spec)));
        } catch (IllegalArgumentException e) {
            throw RuntimeError.CannotCreateContainerError.because(e.getMessage(), e);
        }
        String id;
        try (EngineSlots.Slot slot = starts.take(RuntimeError.CannotCreateContainerError, "create " + spec.name())) {
            id = call(RuntimeError.CannotCreateContainerError, "create " + spec.name(), callTimeout, () -> {
                DockerVolumes.requireExisting(client, spec);
                DockerVolumes.requireOwnTaskVolumes(client, spec);
                try {
                    return command.exec().getId();
                } catch (ConflictException e) {
                    return adopt(spec);
                } catch (NotFoundException e) {
                    // Docker answers 404 for a missing image; make sure that is what is missing.
                    if (!imagePresent(spec.image())) {
                        throw ContainerRuntimeException.imageMissing(spec.image(), e);
                    }
                    throw e;
                }
            });
        }
        berthIds.add(id);
        imageUse.accept(spec.image());
        return id;
    }

    /** Refuses a log driver the engine does not offer, naming those it does; {@code none} is always there. */
    private void requireLogDriver(String driver) throws ContainerRuntimeException {
        if (NO_LOGS.equals(driver)) {
            return;
        }
        List<String> drivers = call(RuntimeError.CannotCreateContainerError, "info", callTimeout, this::logDrivers);
        if (driver == null || !drivers.contains(driver)) {
            throw RuntimeError.CannotCreateContainerError.because("Invalid 'logConfiguration.logDriver' "
                    + driver + ": this host's Docker engine offers " + drivers);
        }
    }

    /** The name is taken: adopt the container when it is the same task's, never someone else's. */
    private String adopt(ContainerSpec spec) throws ContainerRuntimeException {
        InspectContainerResponse existing;
        try {
            existing = client.inspectContainerCmd(spec.name()).exec();
        } catch (NotFoundException e) {
            throw ContainerRuntimeException.inconclusive(RuntimeError.CannotCreateContainerError, "the name "
                    + spec.name() + " was taken and then released; retrying later", e);
        }
        Map<String, String> labels = existing.getConfig() == null ? Map.of() : existing.getConfig().getLabels();
        String container = spec.labels().get(BerthLabels.CONTAINER_NAME);
        if (BerthLabels.isContainerOf(labels, spec.instanceId(), spec.taskId(), container)) {
            LOGGER.infof("Task %s: adopting existing container %s (%s)", spec.taskId(), spec.name(), existing.getId());
            return existing.getId();
        }
        throw RuntimeError.CannotCreateContainerError.because("the name " + spec.name()
                + " is taken by a container that is not this task's");
    }

    @Override
    public void start(String id) throws ContainerRuntimeException {
        Duration timeout = startTimeout;
        try (EngineSlots.Slot slot = starts.take(RuntimeError.CannotStartContainerError, "start " + id)) {
            call(RuntimeError.CannotStartContainerError, "start " + id, timeout, () -> {
                if (!berthIds.contains(id)) {
                    requireBerth(id, RuntimeError.CannotStartContainerError);
                }
                try {
                    client.startContainerCmd(id).exec();
                } catch (NotModifiedException e) {
                    LOGGER.debugf("Container %s already runs", id);
                }
                return null;
            });
        } catch (ContainerRuntimeException e) {
            if (e.unanswered()) {
                LOGGER.debugf("Container %s: %s", id, e.reason());
                throw ContainerRuntimeException.timedOut("started", timeout);
            }
            throw e;
        }
    }

    @Override
    public void stop(String id, Duration timeout) throws ContainerRuntimeException {
        int seconds = (int) Math.max(0, timeout.toSeconds());
        call(RuntimeError.CannotStopContainerError, "stop " + id, timeout.plus(callTimeout), () -> {
            if (requireBerth(id, RuntimeError.CannotStopContainerError).isEmpty()) {
                return null;
            }
            try {
                client.stopContainerCmd(id).withTimeout(seconds).exec();
            } catch (NotModifiedException | NotFoundException e) {
                LOGGER.debugf("Container %s was not running", id);
            }
            return null;
        });
    }

    @Override
    public void remove(String id) throws ContainerRuntimeException {
        call(RuntimeError.CannotRemoveContainerError, "remove " + id, callTimeout, () -> {
            if (requireBerth(id, RuntimeError.CannotRemoveContainerError).isEmpty()) {
                return null;
            }
            List<String> volumes = DockerVolumes.taskVolumesOf(client, id);
            try {
                client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                LOGGER.debugf("Container %s was already removed", id);
            }
            berthIds.remove(id);
            DockerVolumes.removeUnused(client, volumes);
            return null;
        });
    }

    @Override
    public Optional<RuntimeContainer> inspect(String idOrName) throws ContainerRuntimeException {
        return call(RuntimeError.CannotInspectContainerError, "inspect " + idOrName, callTimeout,
                () -> inspectNow(idOrName));
    }

    @Override
    public List<RuntimeContainer> list(String instanceId) throws ContainerRuntimeException {
        return listExcept(instanceId, taskId -> false);
    }

    /**
     * Lists the instance's containers (one call), then inspects those not skipped, each with a
     * deadline of its own: a host with thousands of containers is not cut short by one
     * deadline for all, and the containers of tasks the agent holds are not inspected at all.
     */
    @Override
    public List<RuntimeContainer> listExcept(String instanceId, java.util.function.Predicate<String> skipped)
            throws ContainerRuntimeException {
        List<Container> containers = call(RuntimeError.CannotListContainersError, "list containers", callTimeout,
                () -> client.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(BerthLabels.INSTANCE_ID, instanceId)).exec());
        List<RuntimeContainer> result = new ArrayList<>();
        for (Container container : containers) {
            // The filter already asks for the label; checking again costs nothing and
            // keeps "never an unlabelled container" true whatever the engine's filter does.
            if (BerthLabels.isBerth(container.getLabels())
                    && instanceId.equals(container.getLabels().get(BerthLabels.INSTANCE_ID))
                    && !skipped.test(container.getLabels().get(BerthLabels.TASK_ID))) {
                inspect(container.getId()).ifPresent(result::add);
            }
        }
        return result;
    }

    @Override
    public Optional<String> stats(String id) throws ContainerRuntimeException {
        return call(RuntimeError.CannotInspectContainerError, "stats " + id, callTimeout,
                () -> DockerStats.sample(client, id));
    }

    /** The address of the default bridge network's gateway, where bridge-mode containers reach the host. */
    public Optional<String> bridgeGateway() throws ContainerRuntimeException {
        return call(RuntimeError.CannotInspectContainerError, "inspect network bridge", callTimeout,
                () -> DockerStats.bridgeGateway(client));
    }

    @Override
    public List<RuntimeImage> images() throws ContainerRuntimeException {
        return call(RuntimeError.CannotRemoveImageError, "list images", callTimeout, () -> DockerImages.list(client));
    }

    @Override
    public Set<String> imagesInUse() throws ContainerRuntimeException {
        return call(RuntimeError.CannotRemoveImageError, "list containers", callTimeout,
                () -> DockerImages.inUse(client));
    }

    @Override
    public boolean removeImage(String reference) throws ContainerRuntimeException {
        return call(RuntimeError.CannotRemoveImageError, "remove image " + reference, callTimeout,
                () -> DockerImages.remove(client, reference));
    }

    @Override
    public Optional<ImageDisk> imageDisk() throws ContainerRuntimeException {
        return call(RuntimeError.CannotRemoveImageError, "info", callTimeout, () -> DockerImages.disk(client));
    }

    private Optional<RuntimeContainer> inspectNow(String idOrName) {
        try {
            return Optional.of(DockerContainers.toRuntimeContainer(client.inspectContainerCmd(idOrName).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The container when it carries the Berth labels; empty when it is gone; refuses any other. */
    private Optional<RuntimeContainer> requireBerth(String id, RuntimeError error) throws ContainerRuntimeException {
        Optional<RuntimeContainer> container = inspectNow(id);
        if (container.isPresent() && !container.get().isBerth()) {
            throw error.because("container " + id + " does not carry the Berth labels; Berth never touches it");
        }
        container.ifPresent(c -> berthIds.add(c.id()));
        return container;
    }

    /**
     * Gives every later container these variables besides its own (the task metadata
     * endpoint's {@code ECS_CONTAINER_METADATA_URI_V4}); the container's own win.
     */
    public void injectEnvironment(Function<ContainerSpec, List<String>> environment) {
        this.injectedEnvironment = environment;
    }

    /** Tells {@code used} the image of every later container created and of every later image pulled. */
    public void recordImageUse(Consumer<String> used) {
        this.imageUse = used;
    }

    /** Refuses, from now on, to create a container that {@code hostPolicy} does not allow. */
    public void enforce(HostPolicy hostPolicy) {
        this.policy = hostPolicy;
    }

    @Override
    public ImagePullBehavior pullBehavior() {
        return pullBehavior;
    }

    /** Pulls images as {@code behavior} says from now on (ECS_IMAGE_PULL_BEHAVIOR). */
    public void pullBehavior(ImagePullBehavior behavior) {
        this.pullBehavior = behavior;
    }

    /**
     * Asks the engine for at most {@code parallelism} container creates and starts at once from
     * now on ({@link EngineSlots}); the others wait for a slot before their deadline starts.
     */
    public void startParallelism(int parallelism) {
        this.starts = EngineSlots.of(parallelism);
    }

    /** Fails every later pull whose progress stream says nothing this long (ECS_IMAGE_PULL_INACTIVITY_TIMEOUT). */
    public void pullInactivityTimeout(Duration timeout) {
        this.pullInactivityTimeout = timeout;
    }

    /** Gives every later container start this long before it fails (ECS_CONTAINER_START_TIMEOUT). */
    public void startTimeout(Duration timeout) {
        this.startTimeout = timeout;
    }

    /** Tells {@code callObserver} about every later call to the engine. */
    public void observe(RuntimeCallObserver callObserver) {
        this.observer = callObserver;
    }

    private <T> T call(RuntimeError error, String what, Duration timeout, Callable<T> body)
            throws ContainerRuntimeException {
        long started = System.nanoTime();
        RuntimeCallObserver.Outcome outcome = RuntimeCallObserver.Outcome.ERROR;
        Future<T> future;
        try {
            future = calls.submit(body);
        } catch (RejectedExecutionException e) {
            if (calls.isShutdown()) {
                // close(): the agent is stopping. Nothing was asked of the engine, so nothing is known.
                throw ContainerRuntimeException.inconclusive(error, what + ": not sent, the agent is stopping", e);
            }
            observer.called(callName(what), RuntimeCallObserver.Outcome.TIMEOUT,
                    Duration.ofNanos(System.nanoTime() - started));
            // Nothing was asked of the engine: a DockerTimeoutError, but not one an inspect must settle.
            throw ContainerRuntimeException.inconclusive(RuntimeError.DockerTimeoutError, what + ": "
                    + calls.getMaximumPoolSize() + " Docker calls already wait for the engine", e);
        }
        try {
            T result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            outcome = RuntimeCallObserver.Outcome.OK;
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            outcome = RuntimeCallObserver.Outcome.TIMEOUT;
            throw RuntimeError.DockerTimeoutError.because(what + ": Docker did not answer within " + timeout);
        } catch (InterruptedException e) {
            // Only the agent's shutdown interrupts a task's thread: the engine goes on with the call,
            // so its outcome is unknown, and a task must not be failed (and reported so) for it.
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ContainerRuntimeException.inconclusive(error, what + ": interrupted, the agent is stopping", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ContainerRuntimeException) {
                throw (ContainerRuntimeException) cause;
            }
            // docker-java raises DockerException when the engine answered; anything else means no answer.
            if (!(cause instanceof DockerException)) {
                outcome = RuntimeCallObserver.Outcome.UNREACHABLE;
                throw ContainerRuntimeException.inconclusive(error, detail(cause), cause);
            }
            throw error.because(detail(cause), cause);
        } finally {
            observer.called(callName(what), outcome, Duration.ofNanos(System.nanoTime() - started));
            noteAnswered(outcome.engineAnswered());
        }
    }

    /** Whether the engine answered the agent's last call, and since when that has been so. */
    public record EngineAnswers(boolean answered, Instant since) {
    }

    /** Whether the engine answered the last call, and since when; empty before the first call. */
    public Optional<EngineAnswers> engineAnswers() {
        return Optional.ofNullable(engineAnswers);
    }

    private void noteAnswered(boolean answered) {
        EngineAnswers last = engineAnswers;
        if (last == null || last.answered() != answered) {
            engineAnswers = new EngineAnswers(answered, Instant.now());
        }
    }

    /**
     * The call's metric name: the verb that starts {@code what} ({@code "start <id>"} is
     * {@code start}), so no container id or image name ever becomes a label value.
     */
    static String callName(String what) {
        if (what.startsWith("inspect image")) {
            return "inspect_image";
        }
        if (what.startsWith("remove image")) {
            return "remove_image";
        }
        if (what.startsWith("list images")) {
            return "list_images";
        }
        int space = what.indexOf(' ');
        return space < 0 ? what : what.substring(0, space);
    }

    /** Docker's own message when there is one ({"message": "..."}), not the HTTP wrapping. */
    static String detail(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof DockerException) {
            Matcher matcher = DOCKER_MESSAGE.matcher(message);
            if (matcher.find()) {
                return matcher.group(1).replace("\\\"", "\"");
            }
        }
        return message.strip();
    }

    @Override
    public Subscription events(String instanceId, Consumer<ContainerEvent> listener) {
        DockerEventStream stream = new DockerEventStream(client, instanceId, listener, Clock.systemUTC());
        subscriptions.add(stream);
        stream.start();
        return () -> {
            subscriptions.remove(stream);
            stream.close();
        };
    }

    @Override
    public void close() {
        for (DockerEventStream stream : subscriptions) {
            stream.close();
        }
        subscriptions.clear();
        calls.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOGGER.debugf("Closing the Docker client: %s", e.getMessage());
        }
    }
}
