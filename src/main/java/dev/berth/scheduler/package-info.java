/**
 * The {@code scheduler} role: ECS control plane state and operations (DESIGN.md §5, §6).
 *
 * <pre>
 * berth.clusters, berth.task-definitions, berth.services, berth.tasks, berth.task-events,
 * berth.instances, berth.instance-control, berth.scheduler-leader, berth.client-tokens,
 * berth.account-settings
 *        │ TopicReader (replay from the beginning; resume after a reconnect; ready when caught up)
 *        ▼
 *  SchedulerState (indexed: tasks by cluster/instance/group, allocations per host) ◀── apply after commit ──┐
 *        │                                                                                                │
 *        ▼                                                                                                │
 *  Tasks.run: Planner (checks → strategies) ─▶ TaskPlan ─▶ PlanApplier (re-check, serial) ─▶ StateWriter ─▶ one Kafka transaction
 *  ServiceScheduler (woken by a service's task events, and every interval):                                  ▲
 *     ServiceReconciler (pure: starts, stops, deployments) ─▶ Planner ─▶ TaskPlan + service record ──────────┘
 * </pre>
 *
 * <p>Invariants:
 * <ul>
 *   <li>Never imports {@code dev.berth.agent}: the roles meet only on Kafka.</li>
 *   <li>Only the elected leader writes, through a producer whose fixed transactional id
 *       fences every older leader; it writes only after reading every topic to its committed
 *       end since its election. Other replicas answer reads and the API forwards their writes.</li>
 *   <li>Every mutation holds the {@link dev.berth.scheduler.ControlPlane}'s write lock (a
 *       service's record: the service lock, shared by the service API and the service
 *       scheduler), plans are re-checked one at a time by the plan applier, and a
 *       plan (all the records and tombstones one call or one reconciliation round produces)
 *       is one transaction; the state is updated from those very records once Kafka has
 *       committed them, so the caller reads its own write.</li>
 *   <li>The state keeps the newest version of each entity; repeats and older versions are
 *       dropped, so the replay of the scheduler's own writes is harmless, and a forgotten task
 *       stays forgotten while the replay catches up with its tombstone.</li>
 *   <li>Time is the scheduler's own: heartbeats are dated on receipt (or by Kafka's
 *       log-append time during the replay), never by the agent's clock.</li>
 * </ul>
 */
package dev.berth.scheduler;
