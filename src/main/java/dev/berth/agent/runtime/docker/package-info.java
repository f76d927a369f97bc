/**
 * {@link dev.berth.agent.runtime.ContainerRuntime} on a Docker engine: the only package that
 * imports docker-java (core and the zerodep transport).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every call has a deadline; a call that misses it fails with
 *       {@code DockerTimeoutError}. Stops get the container's stop timeout on top, pulls
 *       their own (longer) deadline.</li>
 *   <li>At most a few creates and starts go to the engine at once ({@link
 *       dev.berth.agent.runtime.docker.EngineSlots}); the others wait their turn before
 *       their deadline starts. Stops, inspects, removes and pulls never wait for them.</li>
 *   <li>docker-java's exceptions give idempotency: {@code NotModifiedException} on start or
 *       stop and {@code NotFoundException} on stop or remove mean done;
 *       {@code ConflictException} on create adopts the container of that name if, and only
 *       if, it carries this task's labels.</li>
 *   <li>Start, stop and remove inspect first and refuse a container without the Berth
 *       labels; listing filters on the instance label and checks again.</li>
 *   <li>Failures carry Docker's own message, not its HTTP wrapping, after the ECS error
 *       name. docker-java's callbacks never log a routine failure at ERROR: the caller
 *       reports it, named, on one line.</li>
 *   <li>Task-scoped volumes are created by Docker with the task's labels and removed with
 *       the last container of the task that mounts them; shared volumes and unlabelled
 *       volumes are never removed.</li>
 *   <li>The event stream asks Docker only for this instance's containers (label filter)
 *       and checks the labels again; it reconnects on its own, resuming from the last
 *       event seen. Every {@code ResultCallback} is closed.</li>
 * </ul>
 */
package dev.berth.agent.runtime.docker;
