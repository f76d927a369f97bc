/**
 * Where tasks go: feasibility checks, then a scorer (DESIGN.md §5).
 *
 * <pre>
 * candidates ──▶ CLUSTER ─▶ AGENT ─▶ CPU ─▶ MEMORY ─▶ PORTS ──▶ scorer (binpack memory) ──▶ best, ties by id
 *                   │          │        │        │         │
 *                   └──────────┴────────┴────────┴─────────┴──▶ Rejection(instance, ECS reason)
 * </pre>
 *
 * <p>Invariants: pure functions of their inputs; no Quarkus, Kafka or clock. Placing N copies
 * subtracts each placed copy from its instance before placing the next.
 */
package dev.berth.scheduler.placement;
