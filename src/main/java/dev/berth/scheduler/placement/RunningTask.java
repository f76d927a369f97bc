package dev.berth.scheduler.placement;

/** A task of a service that is not desired STOPPED, as scale-in sees it: where it is and what it takes. */
public record RunningTask(String taskId, String instanceId, Demand demand) {
}
