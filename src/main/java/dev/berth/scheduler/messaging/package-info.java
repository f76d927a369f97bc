/**
 * The scheduler's edge to Kafka: topic creation, the state replay and the acknowledged
 * writer. The only scheduler package that creates Kafka clients.
 */
package dev.berth.scheduler.messaging;
