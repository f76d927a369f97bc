/**
 * The agent's introspection API, like the ECS agent's on {@code 127.0.0.1:51678}:
 * {@code GET /v1/metadata} and {@code GET /v1/tasks} ({@code ?taskarn=} or
 * {@code ?dockerid=} for one task), in the ECS agent's JSON shapes.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Served by the JDK's own HTTP server, not a Quarkus route, so it exists only while
 *       the agent role runs, and it listens on the loopback address only.</li>
 *   <li>Read only: it shows the engine's snapshots (desired task, last reported change) and
 *       never changes a task.</li>
 *   <li>It is a convenience, never a reason to fail: a port that is taken costs one WARN
 *       line and the agent runs without it.</li>
 * </ul>
 */
package dev.berth.agent.introspection;
