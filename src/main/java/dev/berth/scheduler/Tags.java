package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.model.Tag;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.scheduler.state.TaskView;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * Tags on clusters, task definitions, tasks, container instances and services (TagResource,
 * UntagResource, ListTagsForResource), with ECS's limits. A resource's tags live in its own
 * record on its compacted topic, so a tag change is the record re-sent with a higher version,
 * through the same writer and under the same lock as every other change of that resource.
 */
public final class Tags {

    /** ECS's limit of tags per resource. */
    public static final int MAX_TAGS = 50;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 256;
    private static final String RESERVED_PREFIX = "aws:";
    /** ECS's tag pattern: letters, numbers, spaces and {@code _ . : / = + - @}. */
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    private final Lock serviceLock;
    private final Arns arns;
    private final Clusters clusters;

    Tags(SchedulerState state, StateWriter writer, Lock writeLock, Lock serviceLock, Arns arns, Clusters clusters) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.serviceLock = serviceLock;
        this.arns = arns;
        this.clusters = clusters;
    }

    /**
     * The tags a request gives, checked against ECS's limits: at most 50, each key 1 to 128
     * characters, each value up to 256, from ECS's character set, no key twice and none
     * starting with the reserved {@code aws:}. Null means none.
     */
    public static List<Tag> validate(List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw EcsException.invalidParameter("Invalid 'tags': " + tags.size() + " tags given; a resource can have "
                    + "at most " + MAX_TAGS + ".");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            String at = "tags[" + i + "]";
            if (tag == null) {
                throw EcsException.invalidParameter("Invalid '" + at + "': a tag needs a key.");
            }
            checkKey(tag.key(), at + ".key");
            String value = tag.value() == null ? "" : tag.value();
            if (value.length() > MAX_VALUE || !ALLOWED.matcher(value).matches()) {
                throw EcsException.invalidParameter("Invalid '" + at + ".value': up to " + MAX_VALUE + " letters, "
                        + "numbers, spaces and _ . : / = + - @ are allowed.");
            }
            if (!keys.add(tag.key())) {
                throw EcsException.invalidParameter("Invalid '" + at + ".key': " + tag.key()
                        + " is given twice; each tag key of a resource is unique.");
            }
        }
        return List.copyOf(tags);
    }

    private static void checkKey(String key, String at) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY || !ALLOWED.matcher(key).matches()) {
            throw EcsException.invalidParameter("Invalid '" + at + "': 1 to " + MAX_KEY + " letters, numbers, spaces "
                    + "and _ . : / = + - @ are allowed.");
        }
        if (isReserved(key)) {
            throw EcsException.invalidParameter("Invalid '" + at + "': " + key + " starts with the reserved prefix "
                    + RESERVED_PREFIX + ", which is AWS's.");
        }
    }

    /** ECS's own tags, such as {@code aws:ecs:clusterName}: no caller may set them, and they count against no limit. */
    private static boolean isReserved(String key) {
        return key.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
    }

    /** ListTagsForResource: the resource's tags, in the order they were first given. */
    public List<Tag> list(String resourceArn) {
        return resolve(resourceArn).tags();
    }

    /** TagResource: the given tags are added, replacing the value of a key the resource has. */
    public void tag(String resourceArn, List<Tag> tags) {
        if (tags == null) {
            throw EcsException.invalidParameter("Invalid 'tags': the tags to add are required.");
        }
        List<Tag> added = validate(tags);
        change(resourceArn, held -> {
            Map<String, Tag> byKey = byKey(held);
            for (Tag tag : added) {
                byKey.put(tag.key(), tag);
            }
            long counted = byKey.keySet().stream().filter(key -> !isReserved(key)).count();
            if (counted > MAX_TAGS) {
                throw EcsException.invalidParameter("Invalid 'tags': the resource would have " + counted
                        + " tags of its own; a resource can have at most " + MAX_TAGS
                        + " (ECS's aws: tags not counted). Nothing was changed.");
            }
            return List.copyOf(byKey.values());
        });
    }

    /** UntagResource: the tags of the given keys are removed; a key the resource does not have is ignored. */
    public void untag(String resourceArn, List<String> tagKeys) {
        if (tagKeys == null) {
            throw EcsException.invalidParameter("Invalid 'tagKeys': the keys to remove are required.");
        }
        for (int i = 0; i < tagKeys.size(); i++) {
            checkKey(tagKeys.get(i), "tagKeys[" + i + "]");
        }
        change(resourceArn, held -> {
            Map<String, Tag> byKey = byKey(held);
            byKey.keySet().removeAll(tagKeys);
            return List.copyOf(byKey.values());
        });
    }

    private static Map<String, Tag> byKey(List<Tag> tags) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        for (Tag tag : tags) {
            byKey.put(tag.key(), tag);
        }
        return byKey;
    }

    private interface Edit {
        List<Tag> apply(List<Tag> held);
    }

    /**
     * Re-sends the resource's record with its new tags. Services and tasks are also changed by
     * the service scheduler's passes, which hold {@code serviceLock}; in-flight plans are
     * drained so the version read is the latest.
     */
    private void change(String resourceArn, Edit edit) {
        Resource resource = parse(resourceArn);
        serviceLock.lock();
        writeLock.lock();
        try {
            writer.drain();
            Held held = resolve(resource);
            List<Tag> tags = edit.apply(held.tags());
            if (!tags.equals(held.tags())) {
                writer.write(held.with(tags, state.clock().instant()));
            }
        } finally {
            writeLock.unlock();
            serviceLock.unlock();
        }
    }

    /** A resource found: the record that holds its tags, and how to re-send it with others. */
    private sealed interface Held {
        List<Tag> tags();

        BerthRecord with(List<Tag> tags, Instant now);
    }

    private record HeldCluster(ClusterRecord record) implements Held {
        public List<Tag> tags() {
            return record.tags();
        }

        public BerthRecord with(List<Tag> tags, Instant now) {
            return record.withTags(record.version() + 1, tags);
        }
    }

    private record HeldTaskDefinition(TaskDefinitionRecord record) implements Held {
        public List<Tag> tags() {
            return record.tags();
        }

        public BerthRecord with(List<Tag> tags, Instant now) {
            return record.withTags(record.version() + 1, tags);
        }
    }

    private record HeldTask(DesiredTask desired) implements Held {
        public List<Tag> tags() {
            return desired.tags();
        }

        public BerthRecord with(List<Tag> tags, Instant now) {
            return desired.withTags(desired.version() + 1, tags);
        }
    }

    /** An instance's tags are in its control record, which it has only once the control plane decided something. */
    private record HeldInstance(String cluster, String instanceId, Optional<InstanceControl> control) implements Held {
        public List<Tag> tags() {
            return control.map(InstanceControl::tags).orElse(List.of());
        }

        public BerthRecord with(List<Tag> tags, Instant now) {
            InstanceControl held = control.orElseGet(() -> InstanceControl.none(instanceId, cluster));
            return held.next(held.status(), now, held.attributes(), tags);
        }
    }

    private record HeldService(ServiceRecord record) implements Held {
        public List<Tag> tags() {
            return record.tags();
        }

        public BerthRecord with(List<Tag> tags, Instant now) {
            return record.withTags(record.version() + 1, tags);
        }
    }

    /** A resource ARN taken apart: its type and the path after {@code <type>/}. */
    private record Resource(String arn, String type, List<String> path) {
    }

    private Resource parse(String resourceArn) {
        if (resourceArn == null || resourceArn.isBlank()) {
            throw EcsException.invalidParameter("Invalid 'resourceArn': the ARN of the resource is required.");
        }
        String prefix = arns.cluster("").substring(0, arns.cluster("").length() - "cluster/".length());
        if (!resourceArn.startsWith(prefix)) {
            throw EcsException.invalidParameter("Invalid 'resourceArn': " + resourceArn + " is not the ARN of a "
                    + "resource of this Berth, whose ARNs start " + prefix + ".");
        }
        String rest = resourceArn.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw EcsException.invalidParameter("Invalid 'resourceArn': " + resourceArn + " names no resource.");
        }
        return new Resource(resourceArn, rest.substring(0, slash), List.of(rest.substring(slash + 1).split("/", -1)));
    }

    private Held resolve(String resourceArn) {
        return resolve(parse(resourceArn));
    }

    private Held resolve(Resource r) {
        List<String> path = r.path();
        return switch (r.type()) {
            case "cluster" -> {
                ClusterRecord cluster = clusters.find(path.get(0)).filter(c -> Clusters.ACTIVE.equals(c.status()))
                        .orElseThrow(EcsException::clusterNotFound);
                yield new HeldCluster(cluster);
            }
            case "task-definition" -> {
                String familyRevision = path.get(0);
                int colon = familyRevision.lastIndexOf(':');
                Optional<TaskDefinitionRecord> held = colon <= 0 ? Optional.empty()
                        : parseRevision(familyRevision.substring(colon + 1))
                                .flatMap(rev -> state.taskDefinition(familyRevision.substring(0, colon), rev));
                yield new HeldTaskDefinition(held.orElseThrow(() -> notFound(r)));
            }
            case "task" -> {
                String taskId = path.get(path.size() - 1);
                TaskView task = state.task(taskId)
                        .filter(t -> path.size() == 1 || t.cluster().equals(path.get(0)))
                        .orElseThrow(() -> notFound(r));
                yield new HeldTask(task.desired());
            }
            case "container-instance" -> {
                String instanceId = path.get(path.size() - 1);
                String cluster = state.instance(instanceId)
                        .filter(i -> path.size() == 1 || i.cluster().equals(path.get(0)))
                        .orElseThrow(() -> notFound(r)).cluster();
                yield new HeldInstance(cluster, instanceId, state.instanceControl(instanceId));
            }
            case "service" -> {
                if (path.size() != 2) {
                    throw EcsException.invalidParameter("Invalid 'resourceArn': " + r.arn() + " is a short service "
                            + "ARN; tag a service by its long ARN, service/<cluster>/<service>.");
                }
                yield new HeldService(state.service(path.get(0), path.get(1)).orElseThrow(() -> notFound(r)));
            }
            default -> throw EcsException.invalidParameter("Invalid 'resourceArn': " + r.arn() + " is a " + r.type()
                    + "; Berth keeps tags on clusters, task definitions, tasks, container instances and services.");
        };
    }

    private static Optional<Integer> parseRevision(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static EcsException notFound(Resource r) {
        return new EcsException(EcsErrorType.ResourceNotFoundException,
                "The specified resource wasn't found: " + r.arn() + ".");
    }

    /** Tags as ECS answers them: only when asked with {@code include=TAGS}, else absent. */
    public static List<Tag> ifIncluded(List<String> include, List<Tag> tags) {
        return include != null && include.contains("TAGS") ? tags : null;
    }
}
