/**
 * Where tasks go, as ECS places them (DESIGN.md §5): a snapshot and a request in, a result out.
 *
 * <pre>
 *  ClusterSnapshot (candidates by id)     PlacementRequest (demand, count, group, constraints, strategies)
 *          │                                         │
 *          └──────────────▶ Planner.place ◀──────────┘
 *                               │
 *   once per instance:   Feasibility ── CLUSTER · AGENT · RESOURCE:CPU · RESOURCE:MEMORY · RESOURCE:PORTS (tcp, udp)
 *                               │        · ATTRIBUTE (requiresAttributes) · DistinctInstance · MemberOf (ClusterQuery)
 *                               │              └─ fails any ─▶ Rejection(instance, every check failed)
 *                               ▼
 *   once per request:    Ranking ── binpack(cpu|memory) ▸ spread(instanceId|attribute:x) ▸ random, in order
 *                               │   instances grouped in cells by the spread attributes' values,
 *                               ▼   one SlotHeap per cell, ordered by each instance's own values
 *   per copy:            best cell head (ties: instance id, or a seeded draw among them for random)
 *                               │
 *                               └─▶ take the copy ─▶ re-check and re-rank that instance only ─▶ next copy
 *
 *  PlacementResult: the instance of each copy placed; when one fits nowhere, why each instance refused.
 * </pre>
 *
 * <p>Invariants: pure functions of their inputs, with no Quarkus, Kafka, Docker or clock; the
 * only randomness is the {@link java.util.random.RandomGenerator} given to the {@link
 * dev.berth.scheduler.placement.Planner}. Placing N copies counts the copies placed before
 * them in the same call: resources, ports, runningTasksCount, the group's tasks (for
 * distinctInstance, task:group and spread). The fast planner and a naive one agree on every
 * seeded random case ({@code PlannerEquivalenceTest}). {@link
 * dev.berth.scheduler.placement.PlacementStack} keeps the older call shape (binpack on memory).
 */
package dev.berth.scheduler.placement;
