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
 *   <li>One worker per task is the only code that changes it; its syncs never overlap.
 *       Desired, known and reported status are three separate fields with one owner each
 *       (engine, sync, sync).</li>
 *   <li>Each worker with work gets a {@link dev.berth.agent.engine.TaskThreads} thread of its
 *       own, so one task's slow pull or stop never delays another's; beyond the thread bound
 *       a wake-up waits in a bounded queue for a free thread, and past that bound it is
 *       refused and the next resync tries again. A StopTask that arrives while a
 *       sync pulls or starts takes effect at the next step: nothing more is created or
 *       started, and the stop runs next.</li>
 *   <li>At most the start parallelism of admitted tasks create and start containers at once
 *       ({@link dev.berth.agent.engine.StartTurns}, kept by the host's ledger); the others wait
 *       in line without a thread and are woken in order, so a burst never fills the task
 *       threads that a stop needs. A turn is not held during a pull.</li>
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
 *   <li>After a restart, each worker starts from this agent's last report of its task
 *       ({@link dev.berth.agent.engine.TaskEngine#seed}): statuses, runtime ids, exit
 *       codes, reasons, times and the version are kept, and the next version is above the
 *       last whatever the clock says. Containers are found again by their runtime ids (or
 *       deterministic names) and adopted; Docker's StartedAt and FinishedAt give the times
 *       of what happened unseen. A container of the last report that is gone stops the task
 *       ("Container removed while the agent was down"), never a second run; a task whose
 *       essential container exited meanwhile is reported STOPPED.</li>
 *   <li>A change the reporter refuses (its buffer is full) stays with the worker, which
 *       offers it again at its next sync.</li>
 *   <li>When the runtime does not answer, nothing is declared stopped: the next sync
 *       tries again. A start it took and did not answer in time is one exception, settled
 *       at once by an inspect: a container that started is kept, one still only created is
 *       stopped with the DockerTimeoutError. A stop that the engine refused or did not answer
 *       five times is the other ({@link dev.berth.agent.engine.StopSequence}): the container
 *       is then taken as stopped, as ECS's agent takes it, and the shutdown goes on.</li>
 *   <li>Starting a task costs the engine one create, one start and one inspect per
 *       container. A task placed after the agent read the desired state to its end is not
 *       looked for by name first (no earlier agent can have made its containers; every other
 *       task is), and an image pulled only when missing is not looked for first: the create
 *       says it is missing, and only then is it pulled and the create made again.</li>
 *   <li>A task's containers are removed only when it is STOPPED, reported STOPPED, wanted
 *       STOPPED by its Kafka record, and they exited longer than the cleanup wait ago; the
 *       engine then drops the task and ignores its records until Kafka tombstones it. While
 *       the record still says RUNNING the containers stay: they are what keeps a restarted
 *       agent from running the task again.</li>
 *   <li>Containers of this instance that no task claims are stopped when they run and
 *       removed once they exited longer than the cleanup wait ago, by the
 *       {@link dev.berth.agent.engine.OrphanSweep}: only after its grace period, never while
 *       its gate refuses (a changed Kafka), and never for a task this agent reported before
 *       it started. A container without the Berth labels, or another instance's, is never
 *       touched. An orphan whose stop failed five times is left running until its state
 *       changes, and at most one sweep runs (with one more waiting) however often resyncs
 *       ask for it.</li>
 *   <li>A container event stream that is back after a break resyncs every task.</li>
 * </ul>
 */
package dev.berth.agent.engine;
