/**
 * Berth's domain types in ECS's words: task definitions, containers, tasks, resources,
 * statuses and ARNs.
 *
 * <p>Invariants: this package imports no Quarkus, Kafka or Docker type. Its records are
 * serialized as-is in Kafka records and in the ECS JSON API, so field names are ECS's field
 * names and absent values are {@code null} (never written).
 */
package dev.berth.model;
