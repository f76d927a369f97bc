/**
 * Plans and their applier: a plan is re-checked against the latest state of each instance
 * right before it is published, and each published task is counted before the next check.
 */
package dev.berth.scheduler.plan;
