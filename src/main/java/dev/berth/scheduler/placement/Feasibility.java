package dev.berth.scheduler.placement;

import dev.berth.scheduler.placement.query.Expression;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one request, split by whether a placement can change their answer. The
 * static ones (cluster, agent, required attributes, memberOf expressions that read no tasks)
 * run once per instance per request; the dynamic ones (CPU, memory, ports, distinctInstance,
 * memberOf on runningTasksCount or task:group) run again only on the instance a copy went to.
 */
final class Feasibility {

    private static final int CLUSTER = bit(FeasibilityCheck.CLUSTER);

    private final PlacementRequest request;
    private final boolean distinct;
    private final List<Expression> staticQueries = new ArrayList<>();
    private final List<Expression> taskQueries = new ArrayList<>();

    Feasibility(PlacementRequest request) {
        this.request = request;
        boolean anyDistinct = false;
        for (Constraint constraint : request.constraints()) {
            if (constraint instanceof Constraint.DistinctInstance) {
                anyDistinct = true;
            } else if (constraint instanceof Constraint.MemberOf memberOf) {
                (memberOf.query().readsTasks() ? taskQueries : staticQueries).add(memberOf.query());
            }
        }
        this.distinct = anyDistinct;
    }

    static int bit(FeasibilityCheck check) {
        return 1 << check.ordinal();
    }

    /** The checks that no placement changes; an instance of another cluster fails CLUSTER alone. */
    int staticFailures(Slot slot) {
        Candidate candidate = slot.candidate;
        if (request.cluster() != null && !request.cluster().equals(candidate.cluster())) {
            return CLUSTER;
        }
        int failures = candidate.agentConnected() ? 0 : bit(FeasibilityCheck.AGENT);
        // Indexed loops: these run for every instance of every placement, and the scheduler's
        // compiler (C1 only) allocates an iterator for each for-each loop, even over an empty list.
        List<RequiredAttribute> attributes = request.demand().requiredAttributes();
        for (int i = 0; i < attributes.size(); i++) {
            if (!attributes.get(i).isMetBy(candidate)) {
                failures |= bit(FeasibilityCheck.ATTRIBUTE);
            }
        }
        for (int i = 0; i < staticQueries.size(); i++) {
            if (!staticQueries.get(i).test(slot)) {
                failures |= bit(FeasibilityCheck.MEMBER_OF);
            }
        }
        return failures;
    }

    /** The checks that a placement on this instance can change, as the slot stands now. */
    int dynamicFailures(Slot slot) {
        Demand demand = request.demand();
        int failures = 0;
        if (demand.cpu() > slot.cpu) {
            failures |= bit(FeasibilityCheck.CPU);
        }
        if (demand.memory() > slot.memory) {
            failures |= bit(FeasibilityCheck.MEMORY);
        }
        if (!slot.portsFree(demand)) {
            failures |= bit(FeasibilityCheck.PORTS);
        }
        if (distinct && slot.groupTasks() > 0) {
            failures |= bit(FeasibilityCheck.DISTINCT_INSTANCE);
        }
        for (int i = 0; i < taskQueries.size(); i++) {
            if (!taskQueries.get(i).test(slot)) {
                failures |= bit(FeasibilityCheck.MEMBER_OF);
            }
        }
        return failures;
    }

    /** Evaluates every check of a fresh slot. */
    void evaluate(Slot slot) {
        int fixed = staticFailures(slot);
        slot.failures = fixed == CLUSTER ? CLUSTER : fixed | dynamicFailures(slot);
    }

    /** Re-evaluates the dynamic checks of a slot that was chosen, so its static ones passed. */
    void reevaluate(Slot slot) {
        slot.failures = dynamicFailures(slot);
    }
}
