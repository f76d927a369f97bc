package dev.berth.api.action;

import dev.berth.api.Caller;
import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.AccountSettings;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * ListAccountSettings: the principal's own settings, or with {@code effectiveSettings} every
 * setting as it applies to it. Pages of up to 10, as in ECS.
 */
@Singleton
public class ListAccountSettingsAction extends SchedulerAction<ListAccountSettingsAction.Request> {

    /** ECS's page size limit for this operation. */
    private static final int MAX_RESULTS = 10;

    public record Request(String name, String value, String principalArn, Boolean effectiveSettings,
            String nextToken, Integer maxResults) {
    }

    public record Response(List<AccountSettings.Setting> settings, String nextToken) {
    }

    public ListAccountSettingsAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.maxResults() != null && (r.maxResults() < 1 || r.maxResults() > MAX_RESULTS)) {
            throw EcsException.invalidParameter("Invalid 'maxResults': must be between 1 and " + MAX_RESULTS + ".");
        }
        AccountSettings settings = plane.accountSettings();
        List<AccountSettings.Setting> all = settings.list(settings.principalOf(Caller.accessKeyId()), r.name(),
                r.value(), r.principalArn(), Boolean.TRUE.equals(r.effectiveSettings()));
        Paging<AccountSettings.Setting> page = Paging.of("ListAccountSettings", all, AccountSettings.Setting::name,
                false, r.maxResults() == null ? MAX_RESULTS : r.maxResults(), r.nextToken());
        return new Response(page.items(), page.nextToken());
    }
}
