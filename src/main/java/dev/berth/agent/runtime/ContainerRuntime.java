package dev.berth.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The agent's narrow view of a container engine: the port the task workers drive. Every
 * call is bounded in time and fails with a {@link ContainerRuntimeException} whose
 * {@link RuntimeError} names the failure as ECS does.
 *
 * <p>Calls are idempotent where a retry may repeat them: starting a running container,
 * stopping a stopped one, removing a missing one all succeed; creating a container whose
 * name is taken by the same task's container adopts it.
 *
 * <p>Implementations never change a container that does not carry the Berth labels
 * ({@link BerthLabels}): such a container is neither listed, adopted, started, stopped nor
 * removed.
 */
public interface ContainerRuntime {

    /** The engine's version; a cheap call that says whether the engine answers at all. */
    String engineVersion() throws ContainerRuntimeException;

    /**
     * The engine's version, remote API version and log drivers, from which the instance's
     * capability attributes follow.
     */
    EngineFacts engineFacts() throws ContainerRuntimeException;

    /** Whether the image is present locally. */
    boolean hasImage(String image) throws ContainerRuntimeException;

    /**
     * When this host pulls images; configured with the engine connection
     * ({@code ECS_IMAGE_PULL_BEHAVIOR}). Pulling only missing images unless told otherwise.
     */
    default ImagePullBehavior pullBehavior() {
        return ImagePullBehavior.PREFER_CACHED;
    }

    /** Pulls the image; fails with {@link RuntimeError#CannotPullContainerError}. */
    void pull(String image) throws ContainerRuntimeException;

    /**
     * Creates the container, or adopts the existing one of the same name when it carries
     * the same task's labels. Pulls nothing: when the image is not on the host it fails with
     * an exception whose {@link ContainerRuntimeException#imageMissing()} is true.
     *
     * @return the runtime id of the container
     */
    String create(ContainerSpec spec) throws ContainerRuntimeException;

    /**
     * Starts a created container; done when it already runs. Like every call that changes a
     * container, it checks the Berth labels first; an implementation may remember the ids it
     * has seen carry them (labels never change), so this costs no extra engine call.
     */
    void start(String id) throws ContainerRuntimeException;

    /** Stops the container: SIGTERM, then SIGKILL after {@code timeout}; done when it is not running. */
    void stop(String id, Duration timeout) throws ContainerRuntimeException;

    /** Removes the container; done when it is already gone. */
    void remove(String id) throws ContainerRuntimeException;

    /** The container with this id or name, as the engine sees it now; empty when there is none. */
    Optional<RuntimeContainer> inspect(String idOrName) throws ContainerRuntimeException;

    /** Every container carrying the Berth labels of this instance, running or not. */
    List<RuntimeContainer> list(String instanceId) throws ContainerRuntimeException;

    /**
     * The containers of {@link #list} but those of the tasks {@code skipped} names: an engine
     * that must inspect each container it lists leaves those out before it inspects them.
     */
    default List<RuntimeContainer> listExcept(String instanceId, java.util.function.Predicate<String> skipped)
            throws ContainerRuntimeException {
        return list(instanceId).stream().filter(c -> !skipped.test(c.taskId())).toList();
    }

    /**
     * One sample of the container's resource use, in the engine's own JSON (Docker's
     * ContainerStats, as the ECS task metadata endpoint serves it); empty when there is no
     * such container or it does not run.
     */
    Optional<String> stats(String id) throws ContainerRuntimeException;

    /** Every image the engine holds, tagged or not. */
    List<RuntimeImage> images() throws ContainerRuntimeException;

    /**
     * The ids of the images that some container uses, running or not, whoever created it:
     * such an image is never removed. Reading other containers changes none of them.
     */
    Set<String> imagesInUse() throws ContainerRuntimeException;

    /**
     * Removes one reference to an image ({@code repository:tag}), never forced: the image
     * itself goes with its last reference. Done when the reference is already gone.
     *
     * @return false when the engine refused because a container uses the image
     */
    boolean removeImage(String reference) throws ContainerRuntimeException;

    /** How full the filesystem holding the engine's images is; empty when it is not on this host. */
    Optional<ImageDisk> imageDisk() throws ContainerRuntimeException;

    /**
     * Announces the start, die, stop, oom and health_status events of the containers that carry the Berth
     * labels of this instance, until the subscription is closed. The implementation
     * reconnects on its own when the engine's stream breaks; events missed meanwhile may be
     * lost, which is why they only wake workers and a periodic resync stays the safety net.
     * {@code listener} is called on the runtime's thread and must not block.
     */
    Subscription events(String instanceId, Consumer<ContainerEvent> listener);

    /** A running event subscription. */
    interface Subscription extends AutoCloseable {
        /** Stops the events; idempotent and never throws. */
        @Override
        void close();
    }
}
