package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTask;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.state.TaskView;
import jakarta.inject.Singleton;

/** StopTask: desired STOPPED, stopCode UserInitiated, the caller's reason. */
@Singleton
public class StopTaskAction extends SchedulerAction<StopTaskAction.Request> {

    public record Request(String cluster, String task, String reason) {
    }

    public record Response(EcsTask task) {
    }

    public StopTaskAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        TaskView stopped = plane.tasks().stop(r.cluster(), r.task(), r.reason());
        return new Response(shapes.task(stopped, true, plane.instanceAttributes(stopped.instanceId())));
    }
}
