/**
 * Roles and wiring: the only package that sees both the agent and the scheduler.
 *
 * <pre>
 * BerthMain ── --version ──▶ BuildInfo
 *     │
 *     ▼ Quarkus start
 * RoleLauncher ── kafka ──▶ EmbeddedKafkaRole (seam; absent from the native build)
 *              ── scheduler ──▶ SchedulerRole.start()
 *              ── agent ──▶ AgentRole.start()
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Roles start in dependency order (broker first) and stop in reverse; each start returns
 *       at once and reaches Kafka or Docker in the background, with backoff.</li>
 *   <li>Wiring never makes the roles call each other: they meet only on Kafka, also here.</li>
 *   <li>Nothing here imports {@code dev.berth.kafka}, so the native build can leave it out.</li>
 *   <li>{@code BerthJsonTypes}, {@code DockerJavaTypes} and {@code HostCapacityTypes} register
 *       the native build's reflection; {@code NativeReflectionTest} keeps them complete.</li>
 * </ul>
 */
package dev.berth.app;
