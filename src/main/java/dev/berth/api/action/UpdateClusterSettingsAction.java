package dev.berth.api.action;

import dev.berth.api.shape.EcsCluster;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import jakarta.inject.Singleton;
import java.util.List;

/** UpdateClusterSettings: containerInsights is stored and answered. */
@Singleton
public class UpdateClusterSettingsAction extends SchedulerAction<UpdateClusterSettingsAction.Request> {

    public record Request(String cluster, List<ClusterRecord.Setting> settings) {
    }

    public record Response(EcsCluster cluster) {
    }

    public UpdateClusterSettingsAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        return new Response(shapes.cluster(plane.clusters().updateSettings(r.cluster(), r.settings()), false, true,
                false));
    }
}
