package dev.berth.model;

/**
 * The status of one container of a task: {@code PENDING → RUNNING → STOPPED}, or straight
 * from PENDING to STOPPED when it could not be created or started. Never backwards.
 */
public enum ContainerStatus {
    PENDING,
    RUNNING,
    STOPPED;

    public boolean canMoveTo(ContainerStatus next) {
        return next.ordinal() >= ordinal();
    }
}
