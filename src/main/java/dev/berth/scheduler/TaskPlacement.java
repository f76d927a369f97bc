package dev.berth.scheduler;

import dev.berth.model.TaskDefinition;
import dev.berth.scheduler.placement.PlacementInputException;
import dev.berth.scheduler.placement.PlacementOptions;
import dev.berth.scheduler.placement.PlacementRequest;
import dev.berth.scheduler.placement.Strategy;
import dev.berth.scheduler.placement.TaskDemand;
import java.util.List;

/** What RunTask asks of placement: the request, from the task definition and the call. */
final class TaskPlacement {

    /** RunTask's strategy when the request names none: ECS's, random. */
    static final List<Strategy> RUN_TASK_STRATEGIES = Strategy.RUN_TASK_DEFAULT;

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

    /** The task's group: the request's, else ECS's default {@code family:<family>}. */
    static String group(TaskDefinition definition, Tasks.TaskRequest request) {
        return request.group() == null || request.group().isBlank() ? "family:" + definition.family() : request.group();
    }
}
