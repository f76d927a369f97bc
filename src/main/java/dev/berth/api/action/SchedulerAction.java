package dev.berth.api.action;

import dev.berth.api.EcsAction;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;

/** An operation served by the scheduler role of this process (503 when it is not running or ready). */
public abstract class SchedulerAction<Q> implements EcsAction<Q> {

    private final SchedulerRole scheduler;
    private final Class<Q> requestType;

    SchedulerAction(SchedulerRole scheduler, Class<Q> requestType) {
        this.scheduler = scheduler;
        this.requestType = requestType;
    }

    @Override
    public final String operation() {
        String name = getClass().getSimpleName();
        int end = name.indexOf("Action");
        return end > 0 ? name.substring(0, end) : name;
    }

    @Override
    public final Class<Q> requestType() {
        return requestType;
    }

    @Override
    public final Object handle(Q request) {
        ControlPlane plane = scheduler.controlPlane();
        return handle(plane, new EcsShapes(plane.arns()), request);
    }

    abstract Object handle(ControlPlane plane, EcsShapes shapes, Q request);
}
