package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.AccountSettings;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** PutAccountSettingDefault: the account's default, kept as the root's setting. */
@Singleton
public class PutAccountSettingDefaultAction extends SchedulerAction<PutAccountSettingDefaultAction.Request> {

    public record Request(String name, String value) {
    }

    public record Response(AccountSettings.Setting setting) {
    }

    public PutAccountSettingDefaultAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(plane.accountSettings().putDefault(r.name(), r.value()));
    }
}
