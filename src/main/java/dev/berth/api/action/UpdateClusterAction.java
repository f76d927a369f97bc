package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * UpdateCluster: its {@code settings} are kept as UpdateClusterSettings keeps them; ECS Exec's
 * and managed storage's {@code configuration} and {@code serviceConnectDefaults} need AWS and
 * are refused by name.
 */
@Singleton
public class UpdateClusterAction extends SchedulerAction<UpdateClusterAction.Request> {

    public record Request(String cluster, List<ClusterRecord.Setting> settings, Object configuration,
            Object serviceConnectDefaults) {
    }

    public record Response(EcsCluster cluster) {
    }

    public UpdateClusterAction(SchedulerRole scheduler) {
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
        if (isGiven(r.serviceConnectDefaults())) {
            throw EcsException.invalidParameter("Invalid 'serviceConnectDefaults': Berth does not support Service "
                    + "Connect, which needs AWS Cloud Map.");
        }
        if (r.settings() == null || r.settings().isEmpty()) {
            return new Response(shapes.cluster(plane.clusters().summary(plane.clusters().require(r.cluster())),
                    false, true, false));
        }
        return new Response(shapes.cluster(plane.clusters().updateSettings(r.cluster(), r.settings()), false, true,
                false));
    }

    private static boolean isGiven(Object value) {
        return value != null && !(value instanceof Map<?, ?> m && m.isEmpty());
    }
}
