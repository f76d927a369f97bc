/**
 * The agent's edge to Kafka.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The agent reads only its own partition of berth.tasks
 *       ({@code Partitioning.forInstance(instanceId, partitionCount)}), from the beginning on
 *       every start, without a consumer group, and keeps the records whose instanceId is
 *       this instance; the engine drops versions older than the one it holds.</li>
 *   <li>At start, before acting, the agent reads back its own last records on
 *       berth.task-events (all partitions) and berth.instances, once, up to their end
 *       ({@link dev.berth.agent.messaging.LastReports}); the engine is seeded with them.</li>
 *   <li>Task state changes go through a {@link dev.berth.agent.messaging.StateChangeOutbox}:
 *       one change per task (a newer replaces it), bounded, kept on disk until Kafka
 *       acknowledges it, so a Kafka outage or a restart loses none. They go to
 *       berth.task-events keyed by task id, at least once; a task has at most one change in
 *       flight, so the topic ends with its latest.</li>
 *   <li>The registration goes to berth.instances keyed by instance id at start and every
 *       heartbeat interval, and a last time with {@code shuttingDown} on a clean stop; only
 *       while the agent's cluster exists on berth.clusters
 *       ({@link dev.berth.agent.messaging.ClusterPresence}). {@code registeredAt} is the first
 *       registration and versions continue from the last record.</li>
 *   <li>The Kafka cluster id and the partition count and topic id of berth.tasks are recorded
 *       in the data dir; while they differ the orphan sweep is off
 *       ({@link dev.berth.agent.messaging.KafkaLayout}).</li>
 *   <li>The agent writes only berth.task-events, berth.instances and berth.dead-letters, and
 *       reads berth.tasks (its partition), berth.clusters and berth.instance-control (one
 *       consumer for both, {@link dev.berth.agent.messaging.ControlReader}), and at start its own
 *       records on berth.task-events and berth.instances.</li>
 * </ul>
 */
package dev.berth.agent.messaging;
