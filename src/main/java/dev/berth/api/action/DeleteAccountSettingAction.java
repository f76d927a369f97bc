package dev.berth.api.action;

import dev.berth.api.Caller;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.AccountSettings;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;

/** DeleteAccountSetting: the caller's (or the named principal's) own setting; answers what was removed. */
@Singleton
public class DeleteAccountSettingAction extends SchedulerAction<DeleteAccountSettingAction.Request> {

    public record Request(String name, String principalArn) {
    }

    public record Response(AccountSettings.Setting setting) {
    }

    public DeleteAccountSettingAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        AccountSettings settings = plane.accountSettings();
        return new Response(settings.delete(settings.principalOf(Caller.accessKeyId()), r.name(), r.principalArn()));
    }
}
