/**
 * The scheduler's in-memory picture, rebuilt from Kafka, and the views the API shows:
 * a {@link dev.berth.scheduler.state.TaskView} is a desired task folded with its agent's
 * latest report; an {@link dev.berth.scheduler.state.InstanceView} is a registration with
 * the resources its unstopped tasks leave. No Kafka or Quarkus imports.
 */
package dev.berth.scheduler.state;
