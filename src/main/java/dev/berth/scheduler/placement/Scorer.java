package dev.berth.scheduler.placement;

import dev.berth.model.Resources;

/** Ranks the instances that can take a task; the highest score wins. */
public interface Scorer {

    double score(Candidate candidate, Resources demand);

    /**
     * ECS's {@code binpack} on memory: the instance with the least memory left after the task
     * wins, so that whole instances stay free for big tasks.
     */
    Scorer BINPACK_MEMORY = (candidate, demand) -> -(candidate.remaining().memory() - demand.memory());

    /** {@code binpack} on CPU. */
    Scorer BINPACK_CPU = (candidate, demand) -> -(candidate.remaining().cpu() - demand.cpu());

    /** {@code spread}-like: the instance with the most memory left wins. */
    Scorer SPREAD_MEMORY = (candidate, demand) -> candidate.remaining().memory() - demand.memory();
}
