package dev.berth.api.action;

import dev.berth.scheduler.EcsException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The RunTask and StartTask parameters that ask for a way of running Berth does not have:
 * another launch type, an ENI per task, ECS Exec, task-attached EBS volumes (placement is the
 * caller's: RunTask places with its own parameters). Each is refused with InvalidParameterException naming the
 * parameter, because ignoring it would run the task some other way than the caller asked.
 * Tags are {@link TagOptions}'; clientToken is the idempotency token. Pure.
 */
public record LaunchOptions(
        String launchType,
        List<Object> capacityProviderStrategy,
        Object networkConfiguration,
        String platformVersion,
        Boolean enableExecuteCommand,
        List<Object> volumeConfigurations) {

    /** Why capacity providers are refused wherever they can be named, and what to use instead. */
    static final String NO_CAPACITY_PROVIDERS = "Berth does not support capacity providers (they are Auto Scaling "
            + "groups and Fargate, which Berth's own hosts do not have); choose instances with placementConstraints "
            + "instead (memberOf with attribute:<name>, set on instances with PutAttributes or ECS_INSTANCE_ATTRIBUTES)";

    /** Berth hosts are the caller's own machines, as with ECS's EC2 and EXTERNAL launch types. */
    private static final Set<String> LAUNCH_TYPES = Set.of("EC2", "EXTERNAL");

    /** An ECS {@code PlacementStrategy}. */
    public record PlacementStrategy(String type, String field) {
    }

    /** Throws InvalidParameterException for the first parameter Berth cannot honour. */
    public void refuseUnsupported() {
        if (launchType != null && !LAUNCH_TYPES.contains(launchType)) {
            refuse("launchType", launchType + " is not supported: Berth runs tasks on its own container instances "
                    + "(launch type EC2)");
        }
        if (isPresent(capacityProviderStrategy)) {
            refuse("capacityProviderStrategy", NO_CAPACITY_PROVIDERS);
        }
        if (networkConfiguration != null && !(networkConfiguration instanceof Map<?, ?> m && m.isEmpty())) {
            refuse("networkConfiguration", "it applies to the awsvpc network mode, which Berth does not support");
        }
        if (platformVersion != null && !platformVersion.isBlank()) {
            refuse("platformVersion", "platform versions apply to Fargate only");
        }
        if (Boolean.TRUE.equals(enableExecuteCommand)) {
            refuse("enableExecuteCommand", "ECS Exec is not supported");
        }
        if (isPresent(volumeConfigurations)) {
            refuse("volumeConfigurations", "task-attached volumes are not supported");
        }
    }

    private static boolean isPresent(List<?> values) {
        return values != null && !values.isEmpty();
    }

    private static void refuse(String parameter, String why) {
        throw EcsException.invalidParameter("Invalid '" + parameter + "': " + why + ".");
    }
}
