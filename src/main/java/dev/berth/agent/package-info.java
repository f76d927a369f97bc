/**
 * The {@code agent} role: the host daemon, like the ECS agent. It registers this host's
 * capacity, takes the tasks placed on this host from its partition of berth.tasks, runs them
 * with the local Docker engine and reports every state change on berth.task-events.
 *
 * <pre>
 *  berth.tasks (own partition) ──▶ messaging.DesiredTaskReader ──▶ engine.TaskEngine ──▶ TaskWorker (one per task)
 *                                                                       │                      │
 *                                           runtime.ContainerRuntime ◀──┘      StateReporter ──┘
 *                                           (runtime.docker: docker-java)      messaging.StateChangeSender ──▶ berth.task-events
 *                                           Docker events ──▶ TaskEngine.wake(taskId)
 *  capacity (OSHI), engine.HostLedger (what is left) ──▶ messaging.InstanceHeartbeat ──▶ berth.instances
 *  introspection (127.0.0.1:51678, /v1/metadata, /v1/tasks) ◀── TaskEngine.snapshot()
 *  task metadata v4 (bridge gateway:51679, ECS_CONTAINER_METADATA_URI_V4) ◀── TaskEngine.snapshot()
 *  images.ImageCleanup (every ECS_IMAGE_CLEANUP_INTERVAL) ──▶ runtime.ContainerRuntime
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Imports only {@code dev.berth.model}, {@code dev.berth.protocol} and its own
 *       packages: never the scheduler or the API. Roles meet only on Kafka.</li>
 *   <li>{@link dev.berth.agent.AgentRole#start()} returns at once; Docker and Kafka are
 *       reached on background threads with backoff and one WARN line per failed attempt.
 *       Then {@link dev.berth.agent.ConnectedAgent} reads back the agent's last reports
 *       before anything acts.</li>
 *   <li>Containers outlive the agent: stopping the agent (SIGTERM) stops taking new work,
 *       flushes the pending state changes (bounded; the rest stays on disk for the next
 *       start) and stops no container; the next start adopts what runs.</li>
 *   <li>The agent only ever touches containers that carry its labels and its instance id,
 *       and only ever removes images that its own tasks named.</li>
 *   <li>A task runs only once the host's own ledger ({@link dev.berth.agent.engine.HostLedger})
 *       admits it, and holds its CPU, memory and ports until it has really stopped.</li>
 * </ul>
 */
package dev.berth.agent;
