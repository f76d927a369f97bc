/**
 * The agent's port to a container engine: {@link dev.berth.agent.runtime.ContainerRuntime},
 * what it takes ({@link dev.berth.agent.runtime.ContainerSpec}, built purely by
 * {@link dev.berth.agent.runtime.ContainerSpecs}), what it reports
 * ({@link dev.berth.agent.runtime.RuntimeContainer}) and how it fails
 * ({@link dev.berth.agent.runtime.RuntimeError}, named as the ECS agent names them).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Nothing here imports Docker, Kafka or Quarkus types; only {@code runtime.docker}
 *       imports docker-java.</li>
 *   <li>Every container Berth creates carries the labels of
 *       {@link dev.berth.agent.runtime.BerthLabels} (cluster, task id, instance id,
 *       container name, task definition, task ARN), and a runtime never touches a container
 *       without them.</li>
 *   <li>A container's engine name is deterministic
 *       ({@code berth-<family>-<revision>-<container>-<taskid>}), so a worker finds its
 *       containers again after a restart and a repeated create adopts instead of
 *       duplicating.</li>
 *   <li>Every failure's message is an ECS reason, {@code <ErrorName>: <detail>}.</li>
 *   <li>A container definition's other settings reach the runtime as
 *       {@link dev.berth.agent.runtime.HostSettings}, with references to containers and
 *       volumes already turned into engine names; a malformed one fails the create with
 *       CannotCreateContainerError naming the field. The runtime refuses what the host's
 *       {@link dev.berth.agent.runtime.HostPolicy} does not allow (privileged containers and
 *       the settings that own the host as they do, host paths outside the allow list once
 *       their symlinks are resolved), and hands Docker host paths resolved.</li>
 * </ul>
 */
package dev.berth.agent.runtime;
