/**
 * Task reconciliation, level-triggered: a periodic, jittered round compares every task's
 * desired status with what its agent reports and acts on the difference.
 *
 * <p>{@code TaskReconciler} is a pure function of the tasks, the time and the retention;
 * {@code Tasks.reconcile} re-checks each action against the latest state under the write
 * lock before writing it. A missed round costs latency, never correctness.
 *
 * <p>A round's plans are written in the leadership term it started in or not at all
 * ({@code TermWriter}). The verdicts that silence gives (an agent disconnected, an instance
 * lost, a task left unhealthy past its grace period) are taken only while the state is up to
 * date ({@code SchedulerState.isUpToDate}: the state reader read every partition to its end a
 * few seconds ago at most); a round that starts late, after a pause, on a state that has not
 * read what Kafka holds skips them, and a later round takes them.
 */
package dev.berth.scheduler.reconcile;
