package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.InstanceControl;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * Custom attributes of container instances: PutAttributes, DeleteAttributes and
 * ListAttributes. They live in the instance's control record on berth.instance-control (its
 * agent's own attributes are in its registration); placement's {@code attribute:<name>}
 * and ListAttributes see both. The changes of one call are one transaction.
 */
public final class Attributes {

    /** The only target type ECS has. */
    public static final String CONTAINER_INSTANCE = "container-instance";
    /** ECS's limits: attributes per call, and custom attributes per resource. */
    static final int MAX_PER_CALL = 10;
    static final int MAX_PER_INSTANCE = 10;
    /** ECS's attribute name: 1 to 128 letters, numbers, hyphens, underscores, slashes, backslashes, periods. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-/\\\\]{1,128}");
    /**
     * What DeleteAttributes takes: also the at signs, colons and spaces PutAttributes once let into
     * names, so that an attribute put before ECS's rule was kept can still be removed.
     */
    private static final Pattern DELETABLE_NAME = Pattern.compile("[A-Za-z0-9_.\\-/@:\\\\ ]{1,128}");
    /** ECS's attribute value: 1 to 128 of the name's characters, at signs, colons and spaces, no space at either end. */
    private static final Pattern VALUE = Pattern.compile(
            "(?=.{1,128}$)[A-Za-z0-9_.\\-/@:\\\\]([A-Za-z0-9_.\\-/@:\\\\ ]*[A-Za-z0-9_.\\-/@:\\\\])?");

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    private final Clusters clusters;
    private final Arns arns;

    Attributes(SchedulerState state, StateWriter writer, Lock writeLock, Clusters clusters, Arns arns) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.clusters = clusters;
        this.arns = arns;
    }

    /** An ECS {@code Attribute}: a name, a value (optional) and the instance it is on. */
    public record Attribute(String name, String value, String targetType, String targetId) {
    }

    public List<Attribute> put(String clusterRef, List<Attribute> attributes) {
        return change(clusterRef, attributes, true);
    }

    public List<Attribute> delete(String clusterRef, List<Attribute> attributes) {
        return change(clusterRef, attributes, false);
    }

    /**
     * ListAttributes: the attributes of the cluster's instances, the agent's (such as
     * {@code ecs.os-type}, which ECS's own example filters on) and the custom ones, by name and
     * value if given.
     */
    public List<Attribute> list(String clusterRef, String targetType, String name, String value) {
        ClusterRecord cluster = clusters.require(clusterRef);
        if (!CONTAINER_INSTANCE.equals(targetType)) {
            throw EcsException.invalidParameter("Invalid 'targetType': must be " + CONTAINER_INSTANCE + ".");
        }
        if (value != null && name == null) {
            throw EcsException.invalidParameter("Invalid 'attributeValue': it needs 'attributeName'.");
        }
        List<Attribute> found = new ArrayList<>();
        for (InstanceView instance : state.instances(cluster.clusterName())) {
            String arn = arns.containerInstance(cluster.clusterName(), instance.instanceId());
            new TreeMap<>(instance.attributes()).forEach((n, v) -> {
                if ((name == null || name.equals(n)) && (value == null || value.equals(v))) {
                    found.add(new Attribute(n, v == null || v.isEmpty() ? null : v, CONTAINER_INSTANCE, arn));
                }
            });
        }
        return found;
    }

    private List<Attribute> change(String clusterRef, List<Attribute> attributes, boolean put) {
        ClusterRecord cluster = clusters.require(clusterRef);
        if (attributes == null || attributes.isEmpty() || attributes.size() > MAX_PER_CALL) {
            throw EcsException.invalidParameter("Invalid 'attributes': give between 1 and " + MAX_PER_CALL + ".");
        }
        writeLock.lock();
        try {
            Map<String, Map<String, String>> byInstance = new LinkedHashMap<>();
            List<Attribute> answered = new ArrayList<>();
            for (int i = 0; i < attributes.size(); i++) {
                Attribute attribute = attributes.get(i);
                validate(attribute, i, put);
                String instanceId = Arns.lastSegment(attribute.targetId());
                InstanceView instance = state.instance(instanceId)
                        .filter(v -> cluster.clusterName().equals(v.cluster()))
                        .orElseThrow(() -> new EcsException(EcsErrorType.TargetNotFoundException, "Could not find "
                                + attribute.targetId() + ". Either the target does not exist, or it is not in the "
                                + "cluster " + cluster.clusterName() + "."));
                Map<String, String> custom = byInstance.computeIfAbsent(instanceId,
                        id -> new HashMap<>(instance.customAttributes()));
                if (put) {
                    custom.put(attribute.name(), attribute.value() == null ? "" : attribute.value());
                } else if (custom.remove(attribute.name()) == null
                        && agentsOwn(instance).containsKey(attribute.name())) {
                    // The agent sends its attributes with every heartbeat: a delete here would be undone
                    // at once, so it is refused rather than answered as done.
                    throw EcsException.invalidParameter("Invalid 'attributes[" + i + "]': the attribute '"
                            + attribute.name() + "' of container instance " + instanceId + " comes from its agent ("
                            + "ECS_INSTANCE_ATTRIBUTES, or what the agent reports of the host), which sends it with "
                            + "every heartbeat: remove it from the agent's configuration and restart the agent. "
                            + "Nothing was changed.");
                }
                answered.add(new Attribute(attribute.name(), attribute.value(), CONTAINER_INSTANCE,
                        arns.containerInstance(cluster.clusterName(), instanceId)));
            }
            List<StateChange> changes = new ArrayList<>();
            byInstance.forEach((instanceId, custom) -> {
                java.util.Set<String> names = new java.util.HashSet<>(custom.keySet());
                state.instance(instanceId).ifPresent(v -> agentsOwn(v).keySet().stream()
                        .filter(n -> !n.startsWith("ecs.") && !n.startsWith("com.amazonaws."))
                        .forEach(names::add));
                if (put && names.size() > MAX_PER_INSTANCE) {
                    throw new EcsException(EcsErrorType.AttributeLimitExceededException, "You can apply up to "
                            + MAX_PER_INSTANCE + " custom attributes per resource; container instance " + instanceId
                            + " would have " + names.size() + " (its agent's ECS_INSTANCE_ATTRIBUTES count too). "
                            + "Nothing was changed.");
                }
                InstanceControl held = state.instanceControl(instanceId)
                        .orElseGet(() -> InstanceControl.none(instanceId, cluster.clusterName()));
                changes.add(new StateChange.Put(held.next(held.status(), state.clock().instant(), custom,
                        held.tags())));
            });
            writer.commit(changes);
            return answered;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The attributes the instance's agent registers, which its heartbeats send again: its own
     * ({@code ecs.*}, {@code com.amazonaws.ecs.capability.*}) and the custom ones of its
     * {@code ECS_INSTANCE_ATTRIBUTES}.
     */
    private static Map<String, String> agentsOwn(InstanceView instance) {
        Map<String, String> attributes = instance.registration().attributes();
        return attributes == null ? Map.of() : attributes;
    }

    private static void validate(Attribute attribute, int index, boolean put) {
        String at = "attributes[" + index + "]";
        if (attribute == null || attribute.name() == null
                || !(put ? NAME : DELETABLE_NAME).matcher(attribute.name()).matches()) {
            String name = attribute == null || attribute.name() == null ? "" : " '" + attribute.name() + "'";
            throw EcsException.invalidParameter("Invalid '" + at + ".name'" + name + ": an attribute name is 1 to "
                    + "128 letters, numbers, hyphens, underscores, forward slashes, back slashes or periods.");
        }
        if (put && attribute.name().startsWith("ecs.")) {
            throw EcsException.invalidParameter("Invalid '" + at + ".name' '" + attribute.name() + "': names that "
                    + "start with 'ecs.' are reserved for the attributes the agent reports.");
        }
        if (put && attribute.value() != null && !VALUE.matcher(attribute.value()).matches()) {
            throw EcsException.invalidParameter("Invalid '" + at + ".value' of attribute '" + attribute.name()
                    + "': a value is 1 to 128 letters, numbers, hyphens, underscores, periods, at signs, forward "
                    + "slashes, back slashes, colons or spaces, and does not start or end with a space.");
        }
        if (attribute.targetType() != null && !CONTAINER_INSTANCE.equals(attribute.targetType())) {
            throw EcsException.invalidParameter("Invalid '" + at + ".targetType': must be " + CONTAINER_INSTANCE + ".");
        }
        if (attribute.targetId() == null || attribute.targetId().isBlank()) {
            throw EcsException.invalidParameter("Invalid '" + at + ".targetId': name the container instance.");
        }
    }
}
