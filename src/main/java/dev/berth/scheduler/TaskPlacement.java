package dev.berth.scheduler;

import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import dev.berth.scheduler.placement.Candidate;
import dev.berth.scheduler.placement.PlacementInputException;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.Strategy;
import dev.berth.scheduler.placement.TaskDemand;
import dev.berth.scheduler.placement.TaskGroups;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.util.List;

/** What RunTask asks of placement: the request, from the task definition and the call, and the candidates' task groups. */
public final class TaskPlacement {

    /**
     * Berth's RunTask strategy when the request names none. ECS's default is random
     * ({@link Strategy#RUN_TASK_DEFAULT}); Berth has placed RunTask with binpack on memory from
     * the start, and keeps it until that change is made on purpose, with its tests.
     */
    static final List<Strategy> RUN_TASK_STRATEGIES = List.of(new Strategy.Binpack(Strategy.Resource.MEMORY));

    private TaskPlacement() {
    }

    /** The placement a RunTask asks for; its constraints and strategies are checked as ECS checks them. */
    static PlacementRequest request(String cluster, TaskDefinition definition, Tasks.TaskRequest request,
            int copies) {
        PlacementOptions options = request.placement() == null ? PlacementOptions.NONE : request.placement();
        try {
            return new PlacementRequest(cluster, TaskDemand.demand(definition, request.overrides()), copies,
                    group(definition, request), options.constraints(definition.placementConstraints()),
                    options.strategies(RUN_TASK_STRATEGIES));
        } catch (PlacementInputException e) {
            throw EcsException.invalidParameter(e.getMessage());
        }
    }

    /**
     * The candidates with the groups of the cluster's tasks that are not desired STOPPED, when
     * the request reads them (distinctInstance, spread, task:group): O(tasks of the cluster).
     */
    public static List<Candidate> withTaskGroups(SchedulerState state, PlacementRequest request, List<Candidate> candidates) {
        if (!TaskGroups.areRead(request)) {
            return candidates;
        }
        TaskGroups groups = new TaskGroups();
        for (TaskView task : state.tasks(request.cluster())) {
            if (task.desiredStatus() != TaskStatus.STOPPED) {
                groups.add(task.instanceId(), task.desired().group());
            }
        }
        return groups.applyTo(candidates);
    }

    /** The task's group: the request's, else ECS's default {@code family:<family>}. */
    static String group(TaskDefinition definition, Tasks.TaskRequest request) {
        return request.group() == null || request.group().isBlank() ? "family:" + definition.family() : request.group();
    }

    /** One instance with the groups of its tasks that are not desired STOPPED (a filter reading task:group). */
    public static Candidate withTaskGroups(SchedulerState state, String cluster, Candidate candidate) {
        TaskGroups groups = new TaskGroups();
        for (TaskView task : state.tasksOnInstance(candidate.instanceId())) {
            if (task.desiredStatus() != TaskStatus.STOPPED && cluster.equals(task.cluster())) {
                groups.add(task.instanceId(), task.desired().group());
            }
        }
        return groups.applyTo(List.of(candidate)).get(0);
    }
}
