package dev.berth.api.action;

import dev.berth.api.Caller;
import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Tag;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.AccountSettings;
import dev.berth.scheduler.ClusterSettings;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * CreateCluster: idempotent, as in ECS. Tags and settings (containerInsights, by default the
 * caller's containerInsights account setting) are kept. The parameters that need AWS (ECS
 * Exec's and managed storage's {@code configuration}, capacity providers, Service Connect's
 * namespace) are refused by name rather than dropped.
 */
@Singleton
public class CreateClusterAction extends SchedulerAction<CreateClusterAction.Request> {

    public record Request(String clusterName, List<Tag> tags, List<ClusterRecord.Setting> settings,
            Object configuration, List<String> capacityProviders, List<Object> defaultCapacityProviderStrategy,
            Object serviceConnectDefaults) {
    }

    public record Response(EcsCluster cluster) {
    }

    public CreateClusterAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (isGiven(r.configuration())) {
            throw EcsException.invalidParameter("Invalid 'configuration': Berth does not support ECS Exec's or "
                    + "managed storage's cluster configuration; they need AWS KMS, CloudWatch and S3.");
        }
        if (isGiven(r.capacityProviders())) {
            throw EcsException.invalidParameter("Invalid 'capacityProviders': " + LaunchOptions.NO_CAPACITY_PROVIDERS
                    + ".");
        }
        if (isGiven(r.defaultCapacityProviderStrategy())) {
            throw EcsException.invalidParameter("Invalid 'defaultCapacityProviderStrategy': "
                    + LaunchOptions.NO_CAPACITY_PROVIDERS + ".");
        }
        if (isGiven(r.serviceConnectDefaults())) {
            throw EcsException.invalidParameter("Invalid 'serviceConnectDefaults': Berth does not support Service "
                    + "Connect, which needs AWS Cloud Map.");
        }
        return new Response(shapes.cluster(plane.clusters().create(r.clusterName(), r.tags(), settings(plane, r)),
                false, true, true));
    }

    /**
     * The request's settings, with the caller's containerInsights account setting when the
     * request does not give one and the caller (or the account default) has set it, as in ECS.
     */
    private static List<ClusterRecord.Setting> settings(ControlPlane plane, Request r) {
        List<ClusterRecord.Setting> given = r.settings() == null ? List.of() : r.settings();
        if (given.stream().anyMatch(s -> s != null && ClusterSettings.CONTAINER_INSIGHTS.equals(s.name()))) {
            return given;
        }
        AccountSettings account = plane.accountSettings();
        AccountSettings.Setting insights = account.effective(account.principalOf(Caller.accessKeyId()),
                ClusterSettings.CONTAINER_INSIGHTS);
        if (AccountSettings.AWS_MANAGED.equals(insights.type())) {
            return given;
        }
        List<ClusterRecord.Setting> withDefault = new java.util.ArrayList<>(given);
        withDefault.add(new ClusterRecord.Setting(ClusterSettings.CONTAINER_INSIGHTS, insights.value()));
        return withDefault;
    }

    private static boolean isGiven(Object value) {
        return value != null && !(value instanceof List<?> l && l.isEmpty())
                && !(value instanceof Map<?, ?> m && m.isEmpty());
    }
}
