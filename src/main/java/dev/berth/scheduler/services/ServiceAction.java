package dev.berth.scheduler.services;

import dev.berth.scheduler.placement.FeasibilityCheck;
import java.util.Optional;

/**
 * The ECS service actions ("ECS Service Action" events on berth.events) that the service
 * events of {@link ServiceEvents} report: the wording of those events and this classification
 * live together, so that neither changes without the other.
 */
public enum ServiceAction {
    SERVICE_STEADY_STATE("INFO"),
    TASKS_STOPPED("INFO"),
    SERVICE_TASK_START_IMPAIRED("WARN"),
    SERVICE_TASK_PLACEMENT_FAILURE("ERROR");

    static final String STEADY = "has reached a steady state.";
    static final String STOPPED = "has stopped ";
    static final String START_IMPAIRED = "is unable to consistently start tasks successfully.";
    static final String UNABLE_TO_PLACE = "was unable to place a task because no container instance met all of its "
            + "requirements.";

    private final String eventType;

    ServiceAction(String eventType) {
        this.eventType = eventType;
    }

    /** INFO, WARN or ERROR, as ECS classes the action. */
    public String eventType() {
        return eventType;
    }

    /** The action a service event's message reports, if it reports one. */
    public static Optional<ServiceAction> of(String message) {
        if (message.endsWith(") " + STEADY)) {
            return Optional.of(SERVICE_STEADY_STATE);
        } else if (message.contains(") " + STOPPED)) {
            return Optional.of(TASKS_STOPPED);
        } else if (message.endsWith(") " + START_IMPAIRED)) {
            return Optional.of(SERVICE_TASK_START_IMPAIRED);
        } else if (message.contains(") " + UNABLE_TO_PLACE)) {
            return Optional.of(SERVICE_TASK_PLACEMENT_FAILURE);
        }
        return Optional.empty();
    }

    /**
     * For a placement failure, the reason of the closest matching instance, as its message words
     * it (RESOURCE:MEMORY for "has insufficient memory available", AGENT for "encountered error
     * \"AGENT\"", ...), if the message names one.
     */
    public static Optional<String> placementReason(String message) {
        for (FeasibilityCheck check : FeasibilityCheck.values()) {
            if (message.contains(") " + check.eventWording() + ". ")) {
                return Optional.of(check.reason());
            }
        }
        return Optional.empty();
    }
}
