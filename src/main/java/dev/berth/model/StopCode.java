package dev.berth.model;

/** Why a task stopped, in ECS's stopCode vocabulary. */
public enum StopCode {
    TaskFailedToStart,
    EssentialContainerExited,
    UserInitiated,
    ServiceSchedulerInitiated,
    SpotInterruption,
    TerminationNotice
}
