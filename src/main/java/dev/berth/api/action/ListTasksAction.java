package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.protocol.ClusterRecord;
import dev.berth.scheduler.ControlPlane;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.Tasks;
import jakarta.inject.Singleton;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.List;

/** ListTasks: desiredStatus RUNNING unless told otherwise, as in ECS; a launchType filters by what each task was started as. */
@Singleton
public class ListTasksAction extends SchedulerAction<ListTasksAction.Request> {

    /** ECS's launch types: Berth starts EC2 and EXTERNAL tasks, so FARGATE matches none. */
    static final List<String> LAUNCH_TYPES = List.of("EC2", "FARGATE", "EXTERNAL");

    public record Request(String cluster, String containerInstance, String family, String startedBy,
            String desiredStatus, Integer maxResults, String nextToken, String serviceName, String launchType) {
    }

    public record Response(List<String> taskArns, String nextToken) {
    }

    public ListTasksAction(SchedulerRole scheduler) {
        super(scheduler, Request.class);
    }

    @Override
    Object handle(ControlPlane plane, EcsShapes shapes, Request r) {
        ClusterRecord cluster = plane.clusters().require(r.cluster());
        if (r.launchType() != null && !LAUNCH_TYPES.contains(r.launchType())) {
            throw EcsException.invalidParameter("Invalid 'launchType': must be EC2, FARGATE or EXTERNAL.");
        }
        List<TaskView> tasks = plane.tasks().list(cluster.clusterName(),
                new Tasks.TaskFilter(r.containerInstance(), r.family(), r.startedBy(), r.desiredStatus(),
                        r.launchType()));
        if (r.serviceName() != null) {
            // A service's tasks are its task group, as in ECS.
            String group = plane.services().find(cluster.clusterName(), r.serviceName())
                    .orElseThrow(() -> new EcsException(EcsErrorType.ServiceNotFoundException, "Service not found."))
                    .service().group();
            tasks = tasks.stream().filter(t -> group.equals(t.desired().group())).toList();
        }
        Paging<TaskView> page = Paging.of(tasks, ListTasksAction::sortKey, false, r.maxResults(), r.nextToken());
        return new Response(page.items().stream().map(t -> shapes.taskArn(t.cluster(), t.taskId())).toList(),
                page.nextToken());
    }

    /** The order tasks are listed in: creation time, then id. */
    static String sortKey(TaskView task) {
        Instant created = task.desired().createdAt() == null ? Instant.EPOCH : task.desired().createdAt();
        return String.format("%020d.%09d/%s", created.getEpochSecond(), created.getNano(), task.taskId());
    }
}
