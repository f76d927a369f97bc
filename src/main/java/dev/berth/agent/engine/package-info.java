/**
 * The agent's task engine: pure logic that makes the containers of this host match the
 * desired tasks, through the {@link dev.berth.agent.runtime.ContainerRuntime} port. No
 * Quarkus, Kafka or Docker type is imported here, so it is tested with a fake runtime.
 *
 * <p>Lifecycle of one task, as its {@link dev.berth.agent.engine.TaskWorker} drives it:
 *
 * <pre>
 *  desired RUNNING                         desired STOPPED (StopTask: its stopCode/reason)
 *        │                                       │
 *  PROVISIONING ──create──▶ PENDING ──start all──▶ RUNNING ──essential exit──▶ STOPPING ──▶ STOPPED
 *        │                    │  (pull per ECS_IMAGE_PULL_BEHAVIOR,  │        (stop others,   ▲
 *        │                    │   create, start)                     │         stop timeout)  │
 *        │                    └── pull/create/start fails ──▶ STOPPING ─────────────────────────┤
 *        │                         stopCode TaskFailedToStart,                                │
 *        │                         stoppedReason "CannotPullContainerError: ..."             │
 *        └── desired STOPPED before anything ran ────────────────────────────────────────────┘
 * </pre>
 *
 * <p>"start all" starts each container once its {@code dependsOn} and {@code links} are met; a
 * dependency that can never be met takes the failure path, with stopCode TaskFailedToStart and
 * a reason that names both containers and the condition.
 *
 * <p>Invariants:
 * <ul>
 *   <li>One worker per task is the only code that changes it; its syncs never overlap and
 *       run on a bounded executor. Desired, known and reported status are three separate
 *       fields with one owner each (engine, sync, sync).</li>
 *   <li>Level-triggered: every sync inspects the task's containers and acts on the
 *       difference with the desired task. Kafka records, resync ticks (with jitter) and
 *       container events only wake a worker.</li>
 *   <li>A newer desired record replaces one not yet acted on; an older or equal version is
 *       ignored. Nothing acts before the desired state has been read to its end.</li>
 *   <li>Statuses only move forward; a container recorded as exited is never started again. A
 *       container with a {@code restartPolicy} that exits is restarted in place by
 *       {@link dev.berth.agent.engine.ContainerRestarts} before its exit is recorded, unless
 *       the task is stopping, the exit code is ignored or it ran less than the attempt
 *       period.</li>
 *   <li>A container starts only when {@link dev.berth.agent.engine.DependencyGate} finds its
 *       {@code dependsOn} and {@code links} met; one that can never be met stops the task
 *       with {@code TaskFailedToStart} and a reason naming both containers and the
 *       condition. Containers that others link to or take volumes from are created first.</li>
 *   <li>After a restart, containers are found again by their deterministic names and
 *       labels and adopted; a task whose essential container exited meanwhile is reported
 *       STOPPED, not run again.</li>
 *   <li>When the runtime does not answer, nothing is declared stopped: the next sync
 *       tries again.</li>
 *   <li>A task's containers are removed only when it is STOPPED, reported STOPPED, wanted
 *       STOPPED by its Kafka record, and they exited longer than the cleanup wait ago; the
 *       engine then drops the task and ignores its records until Kafka tombstones it. While
 *       the record still says RUNNING the containers stay: they are what keeps a restarted
 *       agent from running the task again.</li>
 *   <li>Containers of this instance that no task claims are stopped when they run and
 *       removed once they exited longer than the cleanup wait ago. A container without the
 *       Berth labels, or another instance's, is never touched.</li>
 * </ul>
 */
package dev.berth.agent.engine;
