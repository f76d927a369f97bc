package dev.berth.agent.engine;

import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.EngineFacts;
import dev.berth.agent.runtime.ImageDisk;
import dev.berth.agent.runtime.ImagePullBehavior;
import dev.berth.agent.runtime.RuntimeImage;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.model.PortMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory {@link ContainerRuntime} for the engine's unit tests: containers are records
 * in a map, and a test makes them exit, vanish, or the engine stop answering.
 */
public final class FakeContainerRuntime implements ContainerRuntime {

    private final Map<String, RuntimeContainer> byId = new LinkedHashMap<>();
    private final Set<String> images = new HashSet<>();
    /** The digest reference of an image in {@link #images}, by its tag; it goes with the tag, as in Docker. */
    private final Map<String, String> digests = new HashMap<>();
    final List<ContainerSpec> creates = new ArrayList<>();
    final List<String> starts = new ArrayList<>();
    final Map<String, Duration> stops = new LinkedHashMap<>();
    final List<String> removes = new ArrayList<>();
    /** Every call asked of the engine, by its verb ("inspect", "create", ...), in order. */
    final List<String> calls = new ArrayList<>();
    /** When set, told each call's verb as it is asked, before the engine acts on it: a test's look mid-sync. */
    volatile Consumer<String> onCall;
    volatile boolean unavailable;
    /** When set, every stop times out: a container that ignores SIGTERM on a slow engine. */
    volatile boolean stopsTimeOut;
    /** The containers (runtime ids) whose every stop Docker refuses with a 500. */
    final Set<String> stopsRefused = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When set, a start starts the container but then says the engine did not answer in time. */
    volatile boolean startsUnanswered;
    /** When set, a start leaves the container created and says the engine did not answer in time (3m). */
    volatile boolean startsTimeOut;
    /** When set, every start is refused with this (the engine answered with an error). */
    volatile ContainerRuntimeException startsRefused;
    /** When set, a pull succeeds only once the test counts this latch down: a slow registry. */
    volatile CountDownLatch slowPull;
    /** Counted down as each slow pull begins. */
    volatile CountDownLatch pullsStarted = new CountDownLatch(1);
    /** The image filesystem: null when it is not on this host. Each image removed frees {@link #bytesPerImage}. */
    public volatile ImageDisk disk;
    public volatile long bytesPerImage;
    public final List<String> imagesRemoved = new ArrayList<>();
    private final List<Consumer<ContainerEvent>> listeners = new ArrayList<>();
    /** The labels of containers removed by {@link #killAndRemove}, as Docker's events still carry them. */
    private final Map<String, Map<String, String>> removedLabels = new HashMap<>();
    private int nextId = 1;
    private int nextPort = 32768;

    public FakeContainerRuntime withImage(String image) {
        images.add(image);
        return this;
    }

    /** An image named by a tag and by its digest ({@code app@sha256:...}), as Docker lists one it pulled. */
    public synchronized FakeContainerRuntime withImage(String image, String digestReference) {
        images.add(image);
        digests.put(image, digestReference);
        return this;
    }

    @Override
    public String engineVersion() throws ContainerRuntimeException {
        answer();
        return "fake";
    }

    @Override
    public EngineFacts engineFacts() throws ContainerRuntimeException {
        answer();
        return new EngineFacts("fake", "1.47", List.of("json-file", "local"));
    }

    @Override
    public synchronized boolean hasImage(String image) throws ContainerRuntimeException {
        answer("inspect_image");
        return images.contains(image);
    }

    /** The host's pull behaviour the fake reports. */
    volatile ImagePullBehavior pullBehavior = ImagePullBehavior.PREFER_CACHED;
    /** Every image a pull was asked for, in order. */
    final List<String> pulls = new CopyOnWriteArrayList<>();

    @Override
    public ImagePullBehavior pullBehavior() {
        return pullBehavior;
    }

    @Override
    public void pull(String image) throws ContainerRuntimeException {
        pulls.add(image);
        answer("pull");
        CountDownLatch gate = slowPull;
        if (gate != null) {
            pullsStarted.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw RuntimeError.CannotPullContainerError.because(image + ": the test never released the pull");
                }
            } catch (InterruptedException e) {
                // As the Docker runtime answers: the agent is stopping, and the pull's outcome is unknown.
                Thread.currentThread().interrupt();
                throw dev.berth.agent.runtime.ContainerRuntimeException.inconclusive(
                        RuntimeError.CannotPullContainerError, image + ": interrupted, the agent is stopping", e);
            }
            synchronized (this) {
                images.add(image);
            }
            return;
        }
        throw RuntimeError.CannotPullContainerError.because("pull access denied for " + image
                + ", repository does not exist or may require 'docker login'");
    }

    @Override
    public synchronized String create(ContainerSpec spec) throws ContainerRuntimeException {
        answer("create");
        if (!images.contains(spec.image())) {
            throw ContainerRuntimeException.imageMissing(spec.image(), null);
        }
        Optional<RuntimeContainer> existing = byName(spec.name());
        if (existing.isPresent()) {
            // As Docker's runtime adopts: only the same container of the same task.
            if (BerthLabels.isContainerOf(existing.get().labels(), spec.instanceId(), spec.taskId(),
                    spec.labels().get(BerthLabels.CONTAINER_NAME))) {
                return existing.get().id();
            }
            throw RuntimeError.CannotCreateContainerError.because("the name " + spec.name() + " is taken");
        }
        creates.add(spec);
        String id = "c" + nextId++;
        List<NetworkBinding> bindings = new ArrayList<>();
        for (PortMapping mapping : spec.portMappings()) {
            int hostPort = mapping.hasStaticHostPort() ? mapping.hostPort() : nextPort++;
            bindings.add(new NetworkBinding("0.0.0.0", mapping.containerPort(), hostPort, mapping.protocolOrDefault()));
        }
        byId.put(id, new RuntimeContainer(id, spec.name(), spec.image(), spec.labels(), ContainerStatus.PENDING, null,
                null, bindings, null, null));
        return id;
    }

    /** Counted down as each start begins. */
    volatile CountDownLatch startsBegun = new CountDownLatch(0);
    /** When set, each start waits for it (outside the fake's lock): a slow engine. */
    volatile CountDownLatch startGate;
    /** The most starts seen in the fake at the same time. */
    final AtomicInteger mostStartsAtOnce = new AtomicInteger();
    private final AtomicInteger startsNow = new AtomicInteger();

    @Override
    public void start(String id) throws ContainerRuntimeException {
        int now = startsNow.incrementAndGet();
        mostStartsAtOnce.accumulateAndGet(now, Math::max);
        try {
            startsBegun.countDown();
            awaitGate(startGate);
            startNow(id);
        } finally {
            startsNow.decrementAndGet();
        }
    }

    private synchronized void startNow(String id) throws ContainerRuntimeException {
        answer("start");
        if (startsRefused != null) {
            throw startsRefused;
        }
        if (startsTimeOut) {
            throw ContainerRuntimeException.timedOut("started", Duration.ofMinutes(3));
        }
        starts.add(id);
        RuntimeContainer c = byId.get(id);
        if (c.status() == ContainerStatus.PENDING) {
            byId.put(id, with(c, ContainerStatus.RUNNING, null));
        }
        if (startsUnanswered) {
            throw RuntimeError.DockerTimeoutError.because("start " + id + ": Docker did not answer within PT30S");
        }
    }

    /** Counted down as each stop begins. */
    volatile CountDownLatch stopsBegun = new CountDownLatch(0);
    /** When set, each stop waits for it (outside the fake's lock), as Docker waits for a container to exit. */
    volatile CountDownLatch stopGate;

    @Override
    public void stop(String id, Duration timeout) throws ContainerRuntimeException {
        stopsBegun.countDown();
        awaitGate(stopGate);
        stopNow(id, timeout);
    }

    /** Waits (outside the fake's lock) until the test opens the gate; no gate, no wait. */
    private static void awaitGate(CountDownLatch gate) {
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void stopNow(String id, Duration timeout) throws ContainerRuntimeException {
        answer("stop");
        if (stopsTimeOut) {
            throw RuntimeError.DockerTimeoutError.because("Docker did not stop " + id + " within " + timeout);
        }
        if (stopsRefused.contains(id)) {
            throw RuntimeError.CannotStopContainerError.because("cannot stop container: " + id
                    + ": tried to kill container, but did not receive an exit event");
        }
        stops.put(id, timeout);
        RuntimeContainer c = byId.get(id);
        if (c != null && c.status() == ContainerStatus.RUNNING) {
            byId.put(id, with(c, ContainerStatus.STOPPED, 143));
        }
    }

    @Override
    public synchronized void remove(String id) throws ContainerRuntimeException {
        answer("remove");
        removes.add(id);
        byId.remove(id);
    }

    @Override
    public synchronized Optional<RuntimeContainer> inspect(String idOrName) throws ContainerRuntimeException {
        answer("inspect");
        RuntimeContainer c = byId.get(idOrName);
        return c != null ? Optional.of(view(c)) : byName(idOrName).map(FakeContainerRuntime::view);
    }

    @Override
    public synchronized List<RuntimeContainer> list(String instanceId) throws ContainerRuntimeException {
        answer();
        return byId.values().stream()
                .filter(c -> c.isBerth() && instanceId.equals(c.labels().get(BerthLabels.INSTANCE_ID)))
                .map(FakeContainerRuntime::view).toList();
    }

    @Override
    public synchronized Optional<String> stats(String id) throws ContainerRuntimeException {
        answer();
        return byId.containsKey(id) ? Optional.of("{\"id\":\"" + id + "\"}") : Optional.empty();
    }

    @Override
    public synchronized List<RuntimeImage> images() throws ContainerRuntimeException {
        answer();
        return images.stream().map(ref -> new RuntimeImage(imageId(ref), List.of(RuntimeImage.normalize(ref)),
                digests.containsKey(ref) ? List.of(digests.get(ref)) : List.of())).toList();
    }

    @Override
    public synchronized Set<String> imagesInUse() throws ContainerRuntimeException {
        answer();
        Set<String> ids = new HashSet<>();
        for (RuntimeContainer c : byId.values()) {
            ids.add(imageId(c.image()));
        }
        return ids;
    }

    @Override
    public synchronized boolean removeImage(String reference) throws ContainerRuntimeException {
        answer();
        if (imagesInUse().contains(imageId(reference))) {
            return false;
        }
        if (images.remove(reference)) {
            digests.remove(reference);
            imagesRemoved.add(reference);
            ImageDisk d = disk;
            if (d != null) {
                disk = new ImageDisk(d.totalBytes(), d.usedBytes() - bytesPerImage);
            }
        }
        return true;
    }

    @Override
    public Optional<ImageDisk> imageDisk() throws ContainerRuntimeException {
        answer();
        return Optional.ofNullable(disk);
    }

    /** A fake image id: one per reference. */
    static String imageId(String reference) {
        return "sha256:" + RuntimeImage.normalize(reference);
    }

    public synchronized boolean hasImageNow(String reference) {
        return images.contains(reference);
    }

    @Override
    public synchronized Subscription events(String instanceId, Consumer<ContainerEvent> listener) {
        Consumer<ContainerEvent> filtered = event -> {
            if (event.kind() == ContainerEvent.Kind.RESYNC
                    || instanceId.equals(labelsOf(event.containerId()).get(BerthLabels.INSTANCE_ID))) {
                listener.accept(event);
            }
        };
        listeners.add(filtered);
        return () -> {
            synchronized (this) {
                listeners.remove(filtered);
            }
        };
    }

    /**
     * The container of a task's definition container exits with {@code code} by itself, and
     * the engine announces it with a die event, as Docker does.
     */
    void exit(String taskId, String containerName, int code) {
        exitAt(taskId, containerName, code, Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** As {@link #exit}, with the engine's FinishedAt. */
    void exitAt(String taskId, String containerName, int code, Instant finishedAt) {
        RuntimeContainer c;
        List<Consumer<ContainerEvent>> announceTo;
        synchronized (this) {
            c = container(taskId, containerName);
            RuntimeContainer exited = with(c, ContainerStatus.STOPPED, code);
            byId.put(c.id(), new RuntimeContainer(exited.id(), exited.name(), exited.image(), exited.labels(),
                    exited.status(), exited.exitCode(), exited.error(), exited.networkBindings(), exited.startedAt(),
                    finishedAt));
            announceTo = new ArrayList<>(listeners);
        }
        ContainerEvent die = new ContainerEvent(ContainerEvent.Kind.DIE, c.id(), taskId, finishedAt, code);
        announceTo.forEach(listener -> listener.accept(die));
    }

    /** The engine announces an event of {@code kind} about a task's container, dated {@code time}; nothing changes. */
    void announce(ContainerEvent.Kind kind, String taskId, String containerName, Instant time) {
        RuntimeContainer c;
        List<Consumer<ContainerEvent>> announceTo;
        synchronized (this) {
            c = container(taskId, containerName);
            announceTo = new ArrayList<>(listeners);
        }
        ContainerEvent event = new ContainerEvent(kind, c.id(), taskId, time);
        announceTo.forEach(listener -> listener.accept(event));
    }

    /**
     * The event stream broke and is back, as after an engine restart: whatever happened
     * meanwhile was never announced, so listeners are told to look at everything.
     */
    void resumeEvents() {
        List<Consumer<ContainerEvent>> announceTo;
        synchronized (this) {
            announceTo = new ArrayList<>(listeners);
        }
        announceTo.forEach(listener -> listener.accept(ContainerEvent.resync(Instant.EPOCH)));
    }

    /** The container exits and the engine never announces it (its event stream was down). */
    synchronized void exitUnannounced(String taskId, String containerName, int code) {
        RuntimeContainer c = container(taskId, containerName);
        byId.put(c.id(), with(c, ContainerStatus.STOPPED, code));
    }

    synchronized int listenerCount() {
        return listeners.size();
    }

    private synchronized Map<String, String> labelsOf(String id) {
        RuntimeContainer c = byId.get(id);
        return c == null ? removedLabels.getOrDefault(id, Map.of()) : c.labels();
    }

    /**
     * As {@code docker rm -f}: the running container is killed, the engine announces its die
     * with exit code 137, and it is removed at once, before the task's worker looks at it.
     */
    void killAndRemove(String taskId, String containerName) {
        RuntimeContainer c;
        List<Consumer<ContainerEvent>> announceTo;
        synchronized (this) {
            c = container(taskId, containerName);
            byId.remove(c.id());
            removedLabels.put(c.id(), c.labels());
            announceTo = new ArrayList<>(listeners);
        }
        ContainerEvent die = new ContainerEvent(ContainerEvent.Kind.DIE, c.id(), taskId,
                Instant.parse("2025-01-01T00:00:00Z"), 137);
        announceTo.forEach(listener -> listener.accept(die));
    }

    synchronized void removeOutsideBerth(String taskId, String containerName) {
        byId.remove(container(taskId, containerName).id());
    }

    synchronized RuntimeContainer container(String taskId, String containerName) {
        return byId.values().stream()
                .filter(c -> taskId.equals(c.taskId()) && containerName.equals(c.containerName()))
                .findFirst().orElseThrow();
    }

    /** A container made outside this test's engine: another instance's, or not Berth's at all. */
    synchronized void add(RuntimeContainer container) {
        byId.put(container.id(), container);
    }

    synchronized boolean has(String id) {
        return byId.containsKey(id);
    }

    synchronized int containerCount() {
        return byId.size();
    }

    private Optional<RuntimeContainer> byName(String name) {
        return byId.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Like Docker, an exited container no longer shows its port bindings. */
    private static RuntimeContainer view(RuntimeContainer c) {
        return c.status() == ContainerStatus.STOPPED ? new RuntimeContainer(c.id(), c.name(), c.image(), c.labels(),
                c.status(), c.exitCode(), c.error(), List.of(), c.startedAt(), c.finishedAt()) : c;
    }

    private static RuntimeContainer with(RuntimeContainer c, ContainerStatus status, Integer exitCode) {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        return new RuntimeContainer(c.id(), c.name(), c.image(), c.labels(), status, exitCode, c.error(),
                c.networkBindings(), status == ContainerStatus.RUNNING ? now : c.startedAt(),
                status == ContainerStatus.STOPPED ? now : null);
    }

    private void answer(String call) throws ContainerRuntimeException {
        synchronized (this) {
            calls.add(call);
        }
        Consumer<String> hook = onCall;
        if (hook != null) {
            hook.accept(call);
        }
        answer();
    }

    private void answer() throws ContainerRuntimeException {
        if (unavailable) {
            throw RuntimeError.DockerTimeoutError.because("Docker did not answer within PT30S");
        }
    }
}
