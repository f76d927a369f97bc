/**
 * The agent's introspection API, like the ECS agent's on {@code 127.0.0.1:51678}:
 * {@code GET /v1/metadata} and {@code GET /v1/tasks} ({@code ?taskarn=} or
 * {@code ?dockerid=} for one task), in the ECS agent's JSON shapes; and the task metadata
 * endpoint v4 ({@link dev.berth.agent.introspection.TaskMetadataApi}) that containers reach
 * on the Docker bridge's gateway.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Served by the JDK's own HTTP server, not a Quarkus route, so it exists only while
 *       the agent role runs; introspection listens on the loopback address only, task
 *       metadata on the address containers reach, where a container sees only the task
 *       whose unguessable token it was given.</li>
 *   <li>Read only: it shows the engine's snapshots (desired task, last reported change, each
 *       container as its worker knows it now) and never changes a task.</li>
 *   <li>It is a convenience, never a reason to fail: a port that is taken costs one WARN
 *       line and the agent runs without it.</li>
 * </ul>
 */
package dev.berth.agent.introspection;
