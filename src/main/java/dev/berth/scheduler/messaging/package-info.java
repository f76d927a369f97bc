/**
 * The scheduler's edge to Kafka: topic creation, the state replay, the acknowledged writer, and
 * the leader's two consumers whose positions commit in the writer's transactions: berth.requests
 * ({@link dev.berth.scheduler.messaging.RequestConsumer}) and the sources of berth.events
 * ({@link dev.berth.scheduler.messaging.EventStream}). The only scheduler package that creates
 * Kafka clients.
 */
package dev.berth.scheduler.messaging;
