package dev.berth.app;

/** The roles one Berth binary can play (DESIGN.md §1). */
public enum Role {
    /** An embedded single-node KRaft broker, for standalone use. Never in production. */
    kafka,
    /** The control plane: ECS API, state, reconciliation, placement. */
    scheduler,
    /** The host daemon that runs tasks with the local Docker engine. */
    agent
}
