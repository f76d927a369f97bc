/**
 * The agent's edge to Kafka.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The agent reads only its own partition of berth.tasks
 *       ({@code Partitioning.forInstance(instanceId, partitionCount)}), from the beginning on
 *       every start, without a consumer group, and keeps the records whose instanceId is
 *       this instance; the engine drops versions older than the one it holds.</li>
 *   <li>Task state changes go to berth.task-events keyed by task id, at least once and in
 *       order: one change in flight, retried with backoff until Kafka acknowledges it.</li>
 *   <li>The registration goes to berth.instances keyed by instance id at start and every
 *       heartbeat interval, and a last time with {@code shuttingDown} on a clean stop.</li>
 *   <li>The agent writes only berth.task-events, berth.instances and berth.dead-letters.</li>
 * </ul>
 */
package dev.berth.agent.messaging;
