package dev.berth.api.action;

import dev.berth.model.PlacementStrategy;
import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.EcsException;
import java.util.List;

/**
 * The CreateService and UpdateService parameters that ask for something Berth's services do
 * not do: load balancers, service discovery, Service Connect, an external deployment
 * controller and CloudWatch alarms. Each is
 * refused with InvalidParameterException naming it, as {@link LaunchOptions} does for
 * placement, because accepting it would run the service some other way than asked. Tags
 * are accepted: they change nothing about how tasks run.
 */
public record ServiceOptions(List<Object> loadBalancers, List<Object> serviceRegistries, Object serviceConnectConfiguration,
        DeploymentController deploymentController,
        DeploymentConfiguration deploymentConfiguration) {

    /** ECS's {@code deploymentConfiguration}, as the API takes it. */
    public record DeploymentConfiguration(CircuitBreaker deploymentCircuitBreaker, Integer maximumPercent,
            Integer minimumHealthyPercent, Alarms alarms) {

        ServiceRecord.DeploymentConfiguration toRecord() {
            return new ServiceRecord.DeploymentConfiguration(maximumPercent, minimumHealthyPercent,
                    deploymentCircuitBreaker == null ? null : new ServiceRecord.CircuitBreaker(
                            Boolean.TRUE.equals(deploymentCircuitBreaker.enable()),
                            Boolean.TRUE.equals(deploymentCircuitBreaker.rollback()),
                            deploymentCircuitBreaker.resetOnHealthyTask()));
        }
    }

    public record CircuitBreaker(Boolean enable, Boolean rollback, Boolean resetOnHealthyTask) {
    }

    public record Alarms(List<String> alarmNames, Boolean enable, Boolean rollback) {
    }

    public record DeploymentController(String type) {
    }

    void refuseUnsupported() {
        if (isPresent(loadBalancers)) {
            refuse("loadBalancers", "Berth does not manage load balancers");
        }
        if (isPresent(serviceRegistries)) {
            refuse("serviceRegistries", "Berth has no service discovery");
        }
        if (serviceConnectConfiguration != null) {
            refuse("serviceConnectConfiguration", "Service Connect is not supported");
        }
        if (deploymentController != null && deploymentController.type() != null
                && !"ECS".equals(deploymentController.type())) {
            refuse("deploymentController", deploymentController.type() + " is not supported; Berth's own "
                    + "rolling deployments are type ECS");
        }
        if (deploymentConfiguration != null && deploymentConfiguration.alarms() != null
                && Boolean.TRUE.equals(deploymentConfiguration.alarms().enable())) {
            refuse("deploymentConfiguration.alarms", "CloudWatch alarms are not supported");
        }
    }

    ServiceRecord.DeploymentConfiguration deployment() {
        return deploymentConfiguration == null ? null : deploymentConfiguration.toRecord();
    }

    static List<PlacementStrategy> strategies(List<LaunchOptions.PlacementStrategy> strategies) {
        return strategies == null ? List.of()
                : strategies.stream().map(s -> new PlacementStrategy(s.type(), s.field())).toList();
    }

    private static boolean isPresent(List<?> values) {
        return values != null && !values.isEmpty();
    }

    private static void refuse(String parameter, String why) {
        throw EcsException.invalidParameter("Invalid '" + parameter + "': " + why + ".");
    }
}
