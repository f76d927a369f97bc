package dev.berth.scheduler.services;

import dev.berth.protocol.ServiceRecord;
import dev.berth.scheduler.placement.PlacementResult;
import dev.berth.scheduler.placement.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A service's events in ECS's words, newest first, at most {@link ServiceRecord#MAX_EVENTS};
 * an event that repeats the newest one is not added again.
 */
final class ServiceEvents {

    /** How many task ids an event names before it says "and N more", so events stay short. */
    private static final int MAX_TASKS_NAMED = 10;

    private final String serviceName;
    private final List<ServiceRecord.Event> events;
    private final Instant now;
    private boolean changed;

    ServiceEvents(ServiceRecord service, Instant now) {
        this.serviceName = service.serviceName();
        this.events = new ArrayList<>(service.events());
        this.now = now;
    }

    List<ServiceRecord.Event> events() {
        return List.copyOf(events);
    }

    boolean changed() {
        return changed;
    }

    void started(List<String> taskIds) {
        if (!taskIds.isEmpty()) {
            add("has started " + taskIds.size() + " tasks: " + named(taskIds) + ".");
        }
    }

    void stopped(List<String> taskIds) {
        if (!taskIds.isEmpty()) {
            add(ServiceAction.STOPPED + taskIds.size() + " running tasks: " + named(taskIds) + ".");
        }
    }

    void unableToStartConsistently() {
        add(ServiceAction.START_IMPAIRED);
    }

    void deploymentFailed(String deploymentId) {
        add("(deployment " + deploymentId + ") deployment failed: tasks failed to start.");
    }

    void rollingBack(String deploymentId) {
        add("rolling back to deployment " + deploymentId + ".");
    }

    void steady() {
        add(ServiceAction.STEADY);
    }

    void deploymentCompleted(String deploymentId) {
        add("(deployment " + deploymentId + ") deployment completed.");
    }

    /**
     * ECS's event, then what each instance lacked, counted by reason (as Nomad explains a
     * placement): "... The closest matching (container-instance i-1) has insufficient memory
     * available. 3 instances: 2 RESOURCE:MEMORY, 1 AGENT."
     */
    void unableToPlace(List<Rejection> rejections) {
        String start = ServiceAction.UNABLE_TO_PLACE;
        PlacementResult result = new PlacementResult(List.of(), 1, rejections);
        Optional<Rejection> closest = result.closest();
        if (closest.isEmpty()) {
            add(start + " Reason: No Container Instances were found in your cluster.");
            return;
        }
        add(start + " The closest matching (container-instance " + closest.get().instanceId() + ") "
                + closest.get().check().eventWording() + ". " + result.explanation() + ".");
    }

    private static String named(List<String> taskIds) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(taskIds.size(), MAX_TASKS_NAMED); i++) {
            text.append(i == 0 ? "" : " ").append("(task ").append(taskIds.get(i)).append(')');
        }
        if (taskIds.size() > MAX_TASKS_NAMED) {
            text.append(" and ").append(taskIds.size() - MAX_TASKS_NAMED).append(" more");
        }
        return text.toString();
    }

    private void add(String what) {
        String message = "(service " + serviceName + ") " + what;
        if (!events.isEmpty() && events.get(0).message().equals(message)) {
            return;
        }
        events.add(0, new ServiceRecord.Event(UUID.randomUUID().toString(), now, message));
        while (events.size() > ServiceRecord.MAX_EVENTS) {
            events.remove(events.size() - 1);
        }
        changed = true;
    }
}
