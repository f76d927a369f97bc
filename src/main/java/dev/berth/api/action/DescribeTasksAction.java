package dev.berth.api.action;

import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTask;
import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.Failure;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.state.TaskView;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DescribeTasks by id or ARN; unknown or expired ones are MISSING failures. */
@Singleton
public class DescribeTasksAction extends SchedulerAction<DescribeTasksAction.Request> {

    private static final int MAX_TASKS = 100;

    public record Request(String cluster, List<String> tasks, List<String> include) {
    }

    public record Response(List<EcsTask> tasks, List<Failure> failures) {
    }

    public DescribeTasksAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        if (r.tasks() == null || r.tasks().isEmpty()) {
            throw EcsException.invalidParameter("Tasks cannot be empty.");
        }
        if (r.tasks().size() > MAX_TASKS) {
            throw EcsException.invalidParameter("Invalid 'tasks': at most " + MAX_TASKS + " tasks per call.");
        }
        if (r.include() != null && r.include().stream().anyMatch(i -> !"TAGS".equals(i))) {
            throw EcsException.invalidParameter("Invalid 'include': only TAGS can be included.");
        }
        boolean tags = r.include() != null && r.include().contains("TAGS");
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        List<EcsTask> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String reference : r.tasks()) {
            Optional<TaskView> task = plane.tasks().find(cluster.clusterName(), reference);
            if (task.isPresent()) {
                found.add(shapes.task(task.get(), tags, plane.instanceAttributes(task.get().instanceId())));
            } else {
                failures.add(Failure.of(shapes.taskArn(cluster.clusterName(), Arns.lastSegment(reference)),
                        Failure.MISSING));
            }
        }
        return new Response(found, failures);
    }
}
