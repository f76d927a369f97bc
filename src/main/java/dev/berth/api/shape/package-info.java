/**
 * The ECS API's response shapes (Task, Container, ContainerInstance, Cluster, ...), with ECS's
 * field names, built from the scheduler's views. Timestamps are epoch seconds; absent values
 * are omitted.
 */
package dev.berth.api.shape;
