package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.TaskProtection;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * UpdateTaskProtection: a service's tasks are protected from scale-in and from being retired
 * by a deployment for {@code expiresInMinutes} (120 by default, at most 2880), or no longer.
 */
@Singleton
public class UpdateTaskProtectionAction extends SchedulerAction<UpdateTaskProtectionAction.Request> {

    public record Request(String cluster, List<String> tasks, Boolean protectionEnabled, Integer expiresInMinutes) {
    }

    public record Response(List<TaskProtection.ProtectedTask> protectedTasks, List<Failure> failures) {
    }

    public UpdateTaskProtectionAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        TaskProtection.Outcome outcome = plane.taskProtection().update(r.cluster(), r.tasks(), r.protectionEnabled(),
                r.expiresInMinutes());
        return new Response(outcome.protectedTasks(), outcome.failures());
    }
}
