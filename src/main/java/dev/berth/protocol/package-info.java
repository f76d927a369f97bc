/**
 * The Kafka contract between Berth's roles: topics, record types, their JSON encoding,
 * versions, and the clients every role uses to write and read them.
 *
 * <pre>
 *  scheduler ──DesiredTask──▶ berth.tasks (partition = murmur2(instance id) mod P) ──▶ agent
 *  agent ──TaskStateChange──▶ berth.task-events ──▶ scheduler
 *  agent ──InstanceRegistration──▶ berth.instances ──▶ scheduler
 *  scheduler ──Cluster / TaskDefinition / Service──▶ berth.clusters / berth.task-definitions / berth.services ──▶ scheduler
 *  scheduler ──InstanceControl (DRAINING, DEREGISTERED, custom attributes, agent disconnected)──▶ berth.instance-control ──▶ scheduler
 *  scheduler leader ──Leader──▶ berth.scheduler-leader (1 partition; also the election's group topic) ──▶ scheduler
 *  scheduler ──ClientToken──▶ berth.client-tokens ──▶ scheduler
 *  scheduler ──AccountSetting──▶ berth.account-settings ──▶ scheduler
 *  any reader ──DeadLetter──▶ berth.dead-letters ──▶ operators
 * </pre>
 *
 * <p>Beyond DESIGN.md §2: {@code berth.scheduler-leader} (key {@code leader}, compacted)
 * says which replica leads and where its API answers; {@code berth.client-tokens} (key
 * {@code <operation>/<cluster>/<token>}, compacted, tombstoned after 24 h) keeps what a call
 * with a client token did; {@code berth.account-settings} (key {@code <principalArn> <name>},
 * compacted, tombstoned by DeleteAccountSetting) keeps ECS account settings per principal. The
 * scheduler writes them in the transaction of the plan they
 * belong to. Like {@code berth.task-events}, {@code berth.instances} has one writer (the
 * agent) and one exception: the scheduler tombstones a deregistered instance, in the same
 * transaction as its {@code berth.instance-control} record. {@code berth.instances} keeps
 * Kafka's log-append time, so a heartbeat's age never comes from the agent's clock. The agent
 * also reads {@code berth.clusters} (written by the scheduler only), to register only once its
 * cluster exists.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every value carries {@code type}, {@code schemaVersion} and a per-entity monotonic
 *       {@code version}, a small counter each writer continues after a restart; readers drop
 *       versions older than the one they hold and skip unknown types. An agent re-sends its
 *       registration unchanged, same version, as a heartbeat.</li>
 *   <li>Writes that answer a caller are acknowledged ({@code acks=all}, idempotent); the
 *       scheduler's are transactions of its leader's fenced producer, and every reader reads
 *       {@code read_committed}.</li>
 *   <li>Topics are created with {@code min.insync.replicas = min(2, replication factor)}.</li>
 *   <li>Readers rebuild from the beginning of their partitions on every start, and resume
 *       from their position after a lost connection; a poison record goes to
 *       {@code berth.dead-letters} and reading carries on.</li>
 *   <li>Each topic has one writer role (DESIGN.md §2).</li>
 * </ul>
 *
 * <p>Berth uses the plain Kafka clients rather than SmallRye channels because the roles
 * need what channels do not give simply: an agent reads exactly one partition chosen from
 * its instance id, every reader replays from the beginning without a group, and the
 * embedded broker starts inside the same process before any client connects.
 */
package dev.berth.protocol;
