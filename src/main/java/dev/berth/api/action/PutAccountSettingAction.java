package dev.berth.api.action;

import dev.berth.api.Caller;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.AccountSettings;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** PutAccountSetting: for the caller (its SigV4 access key), or for the principal named. */
@Singleton
public class PutAccountSettingAction extends SchedulerAction<PutAccountSettingAction.Request> {

    public record Request(String name, String value, String principalArn) {
    }

    public record Response(AccountSettings.Setting setting) {
    }

    public PutAccountSettingAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        AccountSettings settings = plane.accountSettings();
        return new Response(settings.put(settings.principalOf(Caller.accessKeyId()), r.name(), r.value(),
                r.principalArn()));
    }
}
