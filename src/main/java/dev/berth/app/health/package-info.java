/**
 * SmallRye health checks, registered only for the roles this process runs, so a role that
 * does not run here never reports DOWN.
 *
 * <p>Liveness says the control loops still turn (a loop not yet started counts as alive:
 * restarting would not help it reach Kafka or Docker). Readiness says the process can do its
 * work: Kafka answers (cached, never blocking a probe), Docker answered (agent), the state is
 * rebuilt (scheduler), the embedded broker is up (kafka).
 */
package dev.berth.app.health;
