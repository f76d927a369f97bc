/**
 * What this host is and what it offers: its container instance id and its registered
 * capacity and attributes.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The only package that imports OSHI ({@link dev.berth.agent.capacity.HostProbe});
 *       the arithmetic in {@link dev.berth.agent.capacity.HostCapacity} is pure.</li>
 *   <li>The instance id is created once and kept in {@code <dataDir>/agent/instance-id};
 *       it is an identity, not state: everything else about the instance lives in Kafka.</li>
 *   <li>CPU = logical cores × 1024 units; MEMORY = total MiB − reserved MiB; PORTS and
 *       PORTS_UDP = the reserved TCP and UDP ports, as the ECS agent registers them.</li>
 * </ul>
 */
package dev.berth.agent.capacity;
