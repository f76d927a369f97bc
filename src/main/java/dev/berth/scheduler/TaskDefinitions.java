package dev.berth.scheduler;

import dev.berth.model.Tag;
import dev.berth.model.Arns;
import dev.berth.model.Capabilities;
import dev.berth.model.ContainerDefinition;
import dev.berth.model.TaskDefinition;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.state.SchedulerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;

/**
 * Task definitions: register (revision = last + 1 in the family), describe by
 * {@code family}, {@code family:revision} or ARN, list, deregister (INACTIVE).
 */
public final class TaskDefinitions {

    private static final String NOT_FOUND = "Unable to describe task definition.";
    /** As ECS answers for a definition that EC2 and EXTERNAL instances can run: Berth refuses FARGATE. */
    private static final List<String> COMPATIBILITIES = List.of("EXTERNAL", "EC2");

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    private final Arns arns;

    TaskDefinitions(SchedulerState state, StateWriter writer, Lock writeLock, Arns arns) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.arns = arns;
    }

    /** Validates and registers; the caller's taskDefinitionArn, revision and status are ignored. */
    public TaskDefinition register(TaskDefinition request) {
        return register(request, List.of());
    }

    /** Registers with the revision's tags, kept in its record (checked by {@link Tags#validate}). */
    public TaskDefinition register(TaskDefinition request, List<Tag> tags) {
        TaskDefinitionValidator.validate(request);
        List<Tag> kept = Tags.validate(tags);
        writeLock.lock();
        try {
            int revision = state.lastRevision(request.family()) + 1;
            Instant now = state.clock().instant();
            TaskDefinition registered = new TaskDefinition(arns.taskDefinition(request.family(), revision),
                    request.family(), revision, withDefaults(request.containers()), request.cpu(), request.memory(),
                    request.networkMode(), TaskDefinition.ACTIVE, request.requiresCompatibilities(), COMPATIBILITIES,
                    request.placementConstraints(), request.taskRoleArn(), request.executionRoleArn(), now, null,
                    withRequiredAttributes(request));
            writer.write(new TaskDefinitionRecord(BerthRecord.SCHEMA_VERSION, 1, registered, kept));
            return registered;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * ECS derives {@code requiresAttributes} at registration and keeps them with the revision, so
     * placement reads them from the record; a revision registered before Berth derived them has
     * none and places as it did.
     */
    private static Map<String, Object> withRequiredAttributes(TaskDefinition request) {
        Map<String, Object> kept = request.unmodelled() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(request.unmodelled());
        List<Map<String, String>> required = Capabilities.requiresAttributes(request);
        if (required.isEmpty()) {
            kept.remove(REQUIRES_ATTRIBUTES);
        } else {
            kept.put(REQUIRES_ATTRIBUTES, required);
        }
        return kept.isEmpty() ? request.unmodelled() : kept;
    }

    private static final String REQUIRES_ATTRIBUTES = "requiresAttributes";

    /** ECS stores the defaults it applies: a container is essential unless it says otherwise. */
    private static List<ContainerDefinition> withDefaults(List<ContainerDefinition> containers) {
        List<ContainerDefinition> result = new ArrayList<>();
        for (ContainerDefinition c : containers) {
            result.add(c.essential() != null ? c : new ContainerDefinition(c.name(), c.image(), c.cpu(), c.memory(),
                    c.memoryReservation(), Boolean.TRUE, c.command(), c.entryPoint(), c.environment(),
                    c.portMappings(), c.workingDirectory(), c.user(), c.hostname(), c.dockerLabels(),
                    c.stopTimeout(), c.unmodelled()));
        }
        return result;
    }

    /** {@code family} (latest ACTIVE revision), {@code family:revision} or an ARN; ClientException if none. */
    public TaskDefinition describe(String reference) {
        return find(reference).orElseThrow(() -> EcsException.client(NOT_FOUND)).taskDefinition();
    }

    /** What RunTask and StartTask run: the definition must exist and be ACTIVE. */
    public TaskDefinition requireActive(String reference) {
        TaskDefinition definition = describe(reference);
        if (!TaskDefinition.ACTIVE.equals(definition.status())) {
            throw EcsException.client("TaskDefinition is inactive");
        }
        return definition;
    }

    public TaskDefinition deregister(String reference) {
        String resource = requireReference(reference);
        if (resource.indexOf(':') < 0) {
            throw EcsException.client("Invalid revision number. Number: " + resource
                    + ": deregistering needs family:revision or a task definition ARN.");
        }
        writeLock.lock();
        try {
            TaskDefinitionRecord held = find(resource).orElseThrow(() -> EcsException.client(NOT_FOUND));
            if (!TaskDefinition.ACTIVE.equals(held.taskDefinition().status())) {
                // INACTIVE already, or DELETE_IN_PROGRESS: a revision never goes back a state.
                return held.taskDefinition();
            }
            TaskDefinition inactive = held.taskDefinition().withStatus(TaskDefinition.INACTIVE, state.clock().instant());
            writer.write(new TaskDefinitionRecord(BerthRecord.SCHEMA_VERSION, held.version() + 1, inactive,
                    held.tags()));
            return inactive;
        } finally {
            writeLock.unlock();
        }
    }

    /** ECS's status of a deleted revision; Berth keeps its record so its revision number is never used again. */
    public static final String DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS";
    /** ECS's limit of revisions per DeleteTaskDefinitions call. */
    static final int MAX_DELETED = 10;

    /** What DeleteTaskDefinitions did: the revisions now DELETE_IN_PROGRESS, and a failure for each other one. */
    public record Deletion(List<TaskDefinition> taskDefinitions, List<Failure> failures) {
    }

    /**
     * DeleteTaskDefinitions: INACTIVE revisions become DELETE_IN_PROGRESS, all in one
     * transaction. Tasks and services that run them keep running: they carry their own copy. A
     * revision that is still ACTIVE, or unknown, is a failure; one already deleted is answered
     * again.
     */
    public Deletion delete(List<String> references) {
        if (references == null || references.isEmpty()) {
            throw EcsException.invalidParameter("Invalid 'taskDefinitions': at least one task definition is required.");
        }
        if (references.size() > MAX_DELETED) {
            throw EcsException.invalidParameter("Invalid 'taskDefinitions': at most " + MAX_DELETED
                    + " task definitions per call.");
        }
        for (String reference : references) {
            if (requireReference(reference).indexOf(':') < 0) {
                throw EcsException.client("Invalid revision number. Number: " + Arns.resource(reference.trim())
                        + ": deleting needs family:revision or a task definition ARN.");
            }
        }
        writeLock.lock();
        try {
            List<TaskDefinition> deleted = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            List<StateChange> changes = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String reference : new java.util.LinkedHashSet<>(references)) {
                Optional<TaskDefinitionRecord> held = find(reference);
                if (held.isEmpty()) {
                    failures.add(new Failure(reference, "The specified task definition does not exist.", null));
                    continue;
                }
                TaskDefinition definition = held.get().taskDefinition();
                if (!seen.add(definition.familyRevision())) {
                    // Named twice (family:revision and its ARN): one revision, one record, one answer.
                    continue;
                }
                if (TaskDefinition.ACTIVE.equals(definition.status())) {
                    failures.add(new Failure(definition.taskDefinitionArn(), "The specified task definition is still "
                            + "in ACTIVE status. Please deregister the target and try again.", null));
                    continue;
                }
                TaskDefinition gone = DELETE_IN_PROGRESS.equals(definition.status()) ? definition
                        : definition.withStatus(DELETE_IN_PROGRESS, state.clock().instant());
                if (gone != definition) {
                    changes.add(new StateChange.Put(new TaskDefinitionRecord(BerthRecord.SCHEMA_VERSION,
                            held.get().version() + 1, gone, held.get().tags())));
                }
                deleted.add(gone);
            }
            if (!changes.isEmpty()) {
                writer.commit(changes);
            }
            return new Deletion(deleted, failures);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * ListTaskDefinitions: ACTIVE ones unless {@code status} says otherwise, by family then
     * revision, reversed for {@code DESC}. Despite its name, ECS's {@code familyPrefix} is the
     * full family name here (only ListTaskDefinitionFamilies matches a prefix).
     */
    public List<TaskDefinition> list(String family, String status, String sort) {
        String wanted = status == null ? TaskDefinition.ACTIVE : status;
        if (!List.of(TaskDefinition.ACTIVE, TaskDefinition.INACTIVE, "DELETE_IN_PROGRESS").contains(wanted)) {
            throw EcsException.invalidParameter("Invalid 'status': must be ACTIVE, INACTIVE or DELETE_IN_PROGRESS.");
        }
        if (sort != null && !sort.equals("ASC") && !sort.equals("DESC")) {
            throw EcsException.invalidParameter("Invalid 'sort': must be ASC or DESC.");
        }
        List<TaskDefinition> result = new ArrayList<>();
        for (TaskDefinition d : state.taskDefinitions()) {
            if (wanted.equals(d.status()) && (family == null || d.family().equals(family))) {
                result.add(d);
            }
        }
        if ("DESC".equals(sort)) {
            Collections.reverse(result);
        }
        return result;
    }

    /**
     * ListTaskDefinitionFamilies: the families whose name starts with {@code familyPrefix}, by
     * name. {@code ACTIVE}: those with an ACTIVE revision; {@code INACTIVE}: those without;
     * {@code ALL} (the default): both.
     */
    public List<String> families(String familyPrefix, String status) {
        String wanted = status == null ? "ALL" : status;
        if (!List.of(TaskDefinition.ACTIVE, TaskDefinition.INACTIVE, "ALL").contains(wanted)) {
            throw EcsException.invalidParameter("Invalid 'status': must be ACTIVE, INACTIVE or ALL.");
        }
        Map<String, Boolean> active = new TreeMap<>();
        for (TaskDefinition d : state.taskDefinitions()) {
            if (familyPrefix == null || d.family().startsWith(familyPrefix)) {
                active.merge(d.family(), TaskDefinition.ACTIVE.equals(d.status()), Boolean::logicalOr);
            }
        }
        List<String> result = new ArrayList<>();
        active.forEach((family, hasActive) -> {
            if ("ALL".equals(wanted) || hasActive == TaskDefinition.ACTIVE.equals(wanted)) {
                result.add(family);
            }
        });
        return result;
    }

    private Optional<TaskDefinitionRecord> find(String reference) {
        String resource = requireReference(reference);
        int colon = resource.lastIndexOf(':');
        if (colon < 0) {
            return state.latestActive(resource);
        }
        try {
            int revision = Integer.parseInt(resource.substring(colon + 1));
            return state.taskDefinition(resource.substring(0, colon), revision);
        } catch (NumberFormatException e) {
            throw EcsException.client("Invalid revision number. Number: " + resource.substring(colon + 1));
        }
    }

    private static String requireReference(String reference) {
        if (reference == null || reference.isBlank()) {
            throw EcsException.client("TaskDefinition can not be blank.");
        }
        return Arns.resource(reference.trim());
    }
}
