package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTask;
import dev.berth.model.Tag;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.model.TaskOverride;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tasks;
import jakarta.inject.Singleton;
import java.util.List;

/** StartTask: one task on each named container instance, if it fits there. */
@Singleton
public class StartTaskAction extends SchedulerAction<StartTaskAction.Request> {

    public record Request(String cluster, String taskDefinition, List<String> containerInstances,
            TaskOverride overrides, String startedBy, String group, Object networkConfiguration,
            Boolean enableExecuteCommand, List<Object> volumeConfigurations, List<Tag> tags, String propagateTags,
            Boolean enableECSManagedTags) {

        LaunchOptions launchOptions() {
            return new LaunchOptions(null, null, networkConfiguration, null, enableExecuteCommand,
                    volumeConfigurations);
        }
    }

    public record Response(List<EcsTask> tasks, List<Failure> failures) {
    }

    public StartTaskAction(SchedulerRole scheduler) {
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
        Tasks.StartOutcome outcome = plane.tasks().start(new Tasks.TaskRequest(r.cluster(), r.taskDefinition(),
                r.overrides(), r.startedBy(), r.group(), PlacementOptions.NONE, tags), r.containerInstances());
        return new Response(outcome.tasks().stream()
                .map(t -> shapes.task(t, true, plane.instanceAttributes(t.instanceId()))).toList(), outcome.failures());
    }
}
