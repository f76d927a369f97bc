package dev.berth.api.action;

import dev.berth.api.shape.EcsService;
import dev.berth.api.shape.EcsShapes;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Services;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * UpdateService: a new desired count, or a new task definition (or {@code forceNewDeployment})
 * that starts a rolling deployment within the service's deployment bounds.
 */
@Singleton
public class UpdateServiceAction extends SchedulerAction<UpdateServiceAction.Request> {

    public record Request(String cluster, String service, Integer desiredCount, String taskDefinition,
            List<Object> capacityProviderStrategy, ServiceOptions.DeploymentConfiguration deploymentConfiguration,
            Object networkConfiguration, List<Object> placementConstraints,
            List<LaunchOptions.PlacementStrategy> placementStrategy, String platformVersion,
            Boolean forceNewDeployment, Integer healthCheckGracePeriodSeconds, Boolean enableExecuteCommand,
            List<Object> loadBalancers, List<Object> serviceRegistries, Object serviceConnectConfiguration,
            List<Object> volumeConfigurations, String propagateTags, Boolean enableECSManagedTags) {
    }

    public record Response(EcsService service) {
    }

    public UpdateServiceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.service() == null || r.service().isBlank()) {
            throw EcsException.invalidParameter("Invalid 'service': it should not be null or empty.");
        }
        new LaunchOptions(null, r.capacityProviderStrategy(), r.networkConfiguration(), r.platformVersion(),
                r.enableExecuteCommand(), r.volumeConfigurations()).refuseUnsupported();
        if (r.placementConstraints() != null && !r.placementConstraints().isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'placementConstraints': changing a service's placement "
                    + "constraints is not supported yet; create a new service with them.");
        }
        if (r.placementStrategy() != null && !r.placementStrategy().isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'placementStrategy': changing a service's placement "
                    + "strategy is not supported yet; create a new service with it.");
        }
        ServiceOptions options = new ServiceOptions(r.loadBalancers(), r.serviceRegistries(),
                r.serviceConnectConfiguration(), null, r.deploymentConfiguration());
        options.refuseUnsupported();
        Services.ServiceSummary updated = plane.services().update(new Services.ServiceUpdate(r.cluster(),
                r.service(), r.taskDefinition(), r.desiredCount(), options.deployment(),
                Boolean.TRUE.equals(r.forceNewDeployment()), r.propagateTags(), r.enableECSManagedTags(),
                r.healthCheckGracePeriodSeconds()));
        return new Response(shapes.service(updated));
    }
}
