package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTask;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.PlacementStrategy;
import dev.berth.model.Tag;
import dev.berth.model.TaskOverride;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tasks;
import dev.berth.scheduler.placement.PlacementOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * RunTask: placement picks the instances, under the task definition's and the request's
 * placementConstraints and the request's placementStrategy; what does not fit is reported in
 * failures[].
 */
@Singleton
public class RunTaskAction extends SchedulerAction<RunTaskAction.Request> {

    public record Request(String cluster, String taskDefinition, Integer count, TaskOverride overrides,
            String startedBy, String group, String launchType, List<Object> capacityProviderStrategy,
            Object networkConfiguration, List<PlacementConstraint> placementConstraints,
            List<PlacementStrategy> placementStrategy, String platformVersion,
            Boolean enableExecuteCommand, List<Object> volumeConfigurations, String clientToken, List<Tag> tags,
            String propagateTags, Boolean enableECSManagedTags) {

        /** The launch options, but placement: RunTask applies its placement parameters itself. */
        LaunchOptions launchOptions() {
            return new LaunchOptions(launchType, capacityProviderStrategy, networkConfiguration, platformVersion,
                    enableExecuteCommand, volumeConfigurations);
        }

        Tasks.TaskRequest taskRequest(List<Tag> taskTags) {
            return new Tasks.TaskRequest(cluster, taskDefinition, overrides, startedBy, group,
                    new PlacementOptions(placementConstraints, placementStrategy), taskTags, launchType);
        }
    }

    public record Response(List<EcsTask> tasks, List<Failure> failures) {
    }

    public RunTaskAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    public boolean isWrite() {
        return true;
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        r.launchOptions().refuseUnsupported();
        List<Tag> tags = new TagOptions(r.tags(), r.propagateTags(), r.enableECSManagedTags())
                .forTask(plane, r.cluster(), r.taskDefinition());
        Tasks.StartOutcome outcome = plane.tasks().run(r.taskRequest(tags), r.count(), r.clientToken());
        return new Response(outcome.tasks().stream()
                .map(t -> shapes.task(t, true, plane.instanceAttributes(t.instanceId()))).toList(), outcome.failures());
    }
}
