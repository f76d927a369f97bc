/**
 * The {@code scheduler} role: ECS control plane state and operations (DESIGN.md §5).
 *
 * <pre>
 * berth.clusters, berth.task-definitions, berth.tasks, berth.task-events, berth.instances
 *        │ TopicReader (replay from the beginning; ready when caught up)
 *        ▼
 *  SchedulerState ◀────────────── apply after ack ──────────────┐
 *        │ snapshot                                              │
 *        ▼                                                       │
 *  Tasks.run: PlacementStack (checks → binpack) ─▶ TaskPlan ─▶ PlanApplier (re-check) ─▶ StateWriter ─▶ Kafka
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Never imports {@code dev.berth.agent}: the roles meet only on Kafka.</li>
 *   <li>Every mutation holds the {@link dev.berth.scheduler.ControlPlane}'s single write lock
 *       and answers only after Kafka acknowledged it; the state is then updated from that
 *       very record, so the caller reads its own write.</li>
 *   <li>The state keeps the newest version of each entity; repeats and older versions are
 *       dropped, so the replay of the scheduler's own writes is harmless.</li>
 * </ul>
 */
package dev.berth.scheduler;
