package dev.berth.api.action;

import dev.berth.api.Paging;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.ServiceRecord;
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
            ServiceRecord service = plane.services().find(cluster.clusterName(), r.serviceName())
                    .orElseThrow(() -> new EcsException(EcsErrorType.ServiceNotFoundException, "Service not found."))
                    .service();
            tasks = tasks.stream().filter(t -> belongs(service, t)).toList();
        }
        Paging<TaskView> page = Paging.of("ListTasks", tasks, ListTasksAction::sortKey, false, r.maxResults(),
                r.nextToken());
        return new Response(page.items().stream().map(t -> shapes.taskArn(t.cluster(), t.taskId())).toList(),
                page.nextToken());
    }

    /**
     * Whether the task belongs to the service, as ECS's serviceName filter means it: one its
     * deployments started (a stopped one also when its deployment is gone), not a standalone
     * task that RunTask put in the group {@code service:<name>}.
     */
    static boolean belongs(ServiceRecord service, TaskView task) {
        if (service.owns(task.desired())) {
            return true;
        }
        String startedBy = task.desired().startedBy();
        return task.desiredStatus() == TaskStatus.STOPPED && service.group().equals(task.desired().group())
                && startedBy != null && startedBy.startsWith(SERVICE_DEPLOYMENT_PREFIX);
    }

    /** How the ids of services' deployments start, as ECS's do: the startedBy of a service's tasks. */
    private static final String SERVICE_DEPLOYMENT_PREFIX = "ecs-svc/";

    /** The order tasks are listed in: creation time, then id. */
    static String sortKey(TaskView task) {
        Instant created = task.desired().createdAt() == null ? Instant.EPOCH : task.desired().createdAt();
        return String.format("%020d.%09d/%s", created.getEpochSecond(), created.getNano(), task.taskId());
    }
}
