/**
 * The Kafka contract between Berth's roles: topics, record types, their JSON encoding,
 * versions, and the clients every role uses to write and read them.
 *
 * <pre>
 *  scheduler ──DesiredTask──▶ berth.tasks (partition = murmur2(instance id) mod P) ──▶ agent
 *  agent ──TaskStateChange──▶ berth.task-events ──▶ scheduler
 *  agent ──InstanceRegistration──▶ berth.instances ──▶ scheduler
 *  scheduler ──Cluster / TaskDefinition──▶ berth.clusters / berth.task-definitions ──▶ scheduler
 *  any reader ──DeadLetter──▶ berth.dead-letters ──▶ operators
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every value carries {@code type}, {@code schemaVersion} and a per-entity monotonic
 *       {@code version}; readers drop versions older than the one they hold and skip unknown
 *       types.</li>
 *   <li>Writes that answer a caller are acknowledged ({@code acks=all}, idempotent).</li>
 *   <li>Readers rebuild from the beginning of their partitions on every start; a poison
 *       record goes to {@code berth.dead-letters} and reading carries on.</li>
 *   <li>Each topic has one writer role (DESIGN.md §2).</li>
 * </ul>
 *
 * <p>Berth uses the plain Kafka clients rather than SmallRye channels because the roles
 * need what channels do not give simply: an agent reads exactly one partition chosen from
 * its instance id, every reader replays from the beginning without a group, and the
 * embedded broker starts inside the same process before any client connects.
 */
package dev.berth.protocol;
