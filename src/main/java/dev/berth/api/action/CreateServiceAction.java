package dev.berth.api.action;

import dev.berth.api.shape.EcsService;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.PlacementConstraint;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Services;
import dev.berth.model.Tag;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * CreateService: a REPLICA or DAEMON service, kept at its desired state by the service
 * scheduler. The same request again (or the same {@code clientToken} within a day) returns
 * the service as it is and creates nothing more.
 */
@Singleton
public class CreateServiceAction extends SchedulerAction<CreateServiceAction.Request> {

    public record Request(String cluster, String serviceName, String taskDefinition, Integer desiredCount,
            String clientToken, String launchType, List<Object> capacityProviderStrategy, String platformVersion,
            ServiceOptions.DeploymentConfiguration deploymentConfiguration, List<PlacementConstraint> placementConstraints,
            List<LaunchOptions.PlacementStrategy> placementStrategy, Object networkConfiguration,
            Integer healthCheckGracePeriodSeconds, String schedulingStrategy,
            ServiceOptions.DeploymentController deploymentController, Boolean enableExecuteCommand,
            List<Object> loadBalancers, List<Object> serviceRegistries, Object serviceConnectConfiguration,
            List<Object> volumeConfigurations, List<Tag> tags, String propagateTags, Boolean enableECSManagedTags) {
    }

    public record Response(EcsService service) {
    }

    public CreateServiceAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        new LaunchOptions(r.launchType(), r.capacityProviderStrategy(), r.networkConfiguration(),
                r.platformVersion(), r.enableExecuteCommand(), r.volumeConfigurations()).refuseUnsupported();
        ServiceOptions options = new ServiceOptions(r.loadBalancers(), r.serviceRegistries(),
                r.serviceConnectConfiguration(), r.deploymentController(), r.deploymentConfiguration());
        options.refuseUnsupported();
        Services.ServiceSummary created = plane.services().create(new Services.ServiceSpec(r.cluster(),
                r.serviceName(), r.taskDefinition(), r.desiredCount(), r.schedulingStrategy(), options.deployment(),
                r.placementConstraints(), ServiceOptions.strategies(r.placementStrategy()),
                new TagOptions(r.tags(), r.propagateTags(), r.enableECSManagedTags()).forService(), r.propagateTags(),
                r.enableECSManagedTags(), r.launchType(), r.healthCheckGracePeriodSeconds()), r.clientToken());
        return new Response(shapes.service(created));
    }
}
