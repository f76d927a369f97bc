package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.TaskProtection;
import jakarta.inject.Singleton;
import java.util.List;

/** GetTaskProtection: whether each task is protected from scale-in now, and until when. */
@Singleton
public class GetTaskProtectionAction extends SchedulerAction<GetTaskProtectionAction.Request> {

    public record Request(String cluster, List<String> tasks) {
    }

    public record Response(List<TaskProtection.ProtectedTask> protectedTasks, List<Failure> failures) {
    }

    public GetTaskProtectionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        TaskProtection.Outcome outcome = plane.taskProtection().get(r.cluster(), r.tasks());
        return new Response(outcome.protectedTasks(), outcome.failures());
    }
}
