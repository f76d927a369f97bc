/**
 * Task reconciliation, level-triggered: a periodic, jittered round compares every task's
 * desired status with what its agent reports and acts on the difference.
 *
 * <p>{@code TaskReconciler} is a pure function of the tasks, the time and the retention;
 * {@code Tasks.reconcile} re-checks each action against the latest state under the write
 * lock before writing it. A missed round costs latency, never correctness.
 */
package dev.berth.scheduler.reconcile;
