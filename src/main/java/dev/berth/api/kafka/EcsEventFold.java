package dev.berth.api.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.shape.EcsShapes;
import dev.berth.api.shape.EcsTask;
import dev.berth.model.Arns;
import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.EcsEvent;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.protocol.Versions;
import dev.berth.scheduler.Clusters;
import dev.berth.scheduler.messaging.EventStream;
import dev.berth.scheduler.services.ServiceAction;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.TaskView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds the records of berth.tasks, berth.task-events, berth.instances,
 * berth.instance-control and berth.services into the ECS events they make, one leadership
 * term long. Deterministic: it reads no clock, and an event's {@code time} and {@code id} come
 * from the record and the resource's version.
 *
 * <ul>
 *   <li><b>ECS Task State Change</b>: every newer desired task or report of a task whose
 *       desired record is known; {@code detail} is the task as DescribeTasks shows it, its
 *       {@code version} the sum of the two records' versions. Each is a counter that only
 *       grows, so the sum grows with every event, by one for each version of either record
 *       folded in: by more when the agent sent only the latest of several changes (it keeps one
 *       per task while Kafka has not acknowledged the last), or when reports came before their
 *       desired record (held, and shown with it in one event). A tombstone on either topic
 *       ends the task: the scheduler writes both in one transaction, and what the other topic
 *       still holds before its own tombstone is older than what was shown, so it is ignored.</li>
 *   <li><b>ECS Container Instance State Change</b>: a registration or control record that
 *       changes what the instance shows other than its heartbeat; version: the sum of theirs.
 *       {@code agentConnected} is false once the agent's registration says it is shutting down,
 *       or once the leader recorded its agent disconnected on berth.instance-control.</li>
 *   <li><b>ECS Deployment State Change</b>: a deployment that appears or changes its
 *       rolloutState. <b>ECS Service Action</b>: a service event of the scheduler's that names
 *       one of ECS's actions (steady state, tasks stopped, start impaired, placement failure).</li>
 * </ul>
 */
final class EcsEventFold implements EventStream.Fold {

    private final Arns arns;
    private final EcsShapes shapes;
    /**
     * ECS writes every time in {@code detail} with milliseconds ("2016-12-06T16:41:06.595Z"),
     * whatever the clock that read it had: parsers written for that format (Python's
     * {@code strptime} with {@code %f}, a fixed-width pattern) read every one of Berth's too.
     */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final ObjectMapper mapper = RecordCodec.newMapper().copy()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .registerModule(new SimpleModule("ecs-event-times").addSerializer(Instant.class,
                    new JsonSerializer<Instant>() {
                        @Override
                        public void serialize(Instant value, JsonGenerator out, SerializerProvider provider)
                                throws IOException {
                            out.writeString(iso(value));
                        }
                    }))
            .addMixIn(EcsTask.class, TaskEventDetail.WithoutTags.class);
    private final Map<String, DesiredTask> desired = new HashMap<>();
    private final Map<String, TaskStateChange> reports = new HashMap<>();
    /**
     * The time of each task's last event. A report's Kafka timestamp is its agent's clock (its
     * topic keeps the producer's time), which may run behind the scheduler's that dated the task's
     * desired record: a task's events never go back in time.
     */
    private final Map<String, Long> taskTimes = new HashMap<>();
    private final Map<String, Set<String>> tasksByInstance = new HashMap<>();
    private final Map<String, InstanceRegistration> registrations = new HashMap<>();
    private final Map<String, InstanceControl> controls = new HashMap<>();
    /**
     * Registrations whose tombstone came before the control record that deregisters them
     * (DeregisterContainerInstance writes both in one transaction): kept for that record's
     * INACTIVE event, then dropped.
     */
    private final Map<String, InstanceRegistration> departed = new HashMap<>();
    /** What each instance's last event showed, heartbeat and version aside. */
    private final Map<String, ObjectNode> shown = new HashMap<>();
    private final Map<String, ServiceRecord> services = new HashMap<>();
    /** Tasks with a tombstone on one of their two topics and not yet on the other. */
    private final Set<String> forgotten = new HashSet<>();

    EcsEventFold(Arns arns) {
        this.arns = arns;
        this.shapes = new EcsShapes(arns);
    }

    @Override
    public List<EventStream.Event> apply(EventStream.Source source) {
        BerthRecord value = source.value();
        if (value == null) {
            forget(source.topic(), source.key());
            return List.of();
        }
        if ((value instanceof DesiredTask || value instanceof TaskStateChange) && forgotten.contains(source.key())) {
            return List.of();
        } else if (value instanceof DesiredTask t && newer(t, desired.get(t.taskId()))) {
            desired.put(t.taskId(), t);
            tasksByInstance.computeIfAbsent(t.instanceId(), i -> new HashSet<>()).add(t.taskId());
            return taskEvent(t.taskId(), source.timestamp());
        } else if (value instanceof TaskStateChange r && newer(r, reports.get(r.taskId()))) {
            reports.put(r.taskId(), r);
            return desired.containsKey(r.taskId()) ? taskEvent(r.taskId(), source.timestamp()) : List.of();
        } else if (value instanceof InstanceRegistration r && newer(r, registrations.get(r.instanceId()))) {
            registrations.put(r.instanceId(), r);
            return instanceEvent(r.instanceId(), source.timestamp());
        } else if (value instanceof InstanceControl c && newer(c, controls.get(c.instanceId()))) {
            controls.put(c.instanceId(), c);
            return instanceEvent(c.instanceId(), source.timestamp());
        } else if (value instanceof ServiceRecord s && newer(s, services.get(s.key()))) {
            ServiceRecord before = services.put(s.key(), s);
            return serviceEvents(before, s, source.timestamp());
        }
        return List.of();
    }

    private static boolean newer(BerthRecord incoming, BerthRecord held) {
        return Versions.isNewer(incoming.version(), held == null ? null : held.version());
    }

    private void forget(Topic topic, String key) {
        switch (topic) {
            case TASKS, TASK_EVENTS -> forgetTask(key);
            case INSTANCES -> {
                InstanceRegistration gone = registrations.remove(key);
                InstanceControl control = controls.get(key);
                if (gone != null && (control == null || !InstanceControl.DEREGISTERED.equals(control.status()))) {
                    departed.put(key, gone);
                } else {
                    shown.remove(key);
                }
            }
            case INSTANCE_CONTROL -> {
                controls.remove(key);
                departed.remove(key);
                if (!registrations.containsKey(key)) {
                    shown.remove(key);
                }
            }
            case SERVICES -> services.remove(key);
            default -> {
            }
        }
    }

    /**
     * The first of a task's two tombstones forgets it, and records of it are ignored until the
     * second: a desired record without its reports (or the reverse) would show an older task
     * with a lower version.
     */
    private void forgetTask(String taskId) {
        if (forgotten.remove(taskId)) {
            return;
        }
        DesiredTask gone = desired.remove(taskId);
        TaskStateChange report = reports.remove(taskId);
        taskTimes.remove(taskId);
        if (gone != null || report != null) {
            forgotten.add(taskId);
        }
        if (gone != null) {
            Set<String> onInstance = tasksByInstance.get(gone.instanceId());
            if (onInstance != null) {
                onInstance.remove(taskId);
            }
        }
    }

    private List<EventStream.Event> taskEvent(String taskId, long recordTime) {
        long timestamp = taskTimes.merge(taskId, recordTime, Math::max);
        // Shown as DescribeTasks shows it, with the same version: the sum of both records'.
        TaskView view = TaskView.fold(desired.get(taskId), reports.get(taskId));
        DesiredTask task = view.desired();
        InstanceRegistration instance = registrations.get(task.instanceId());
        // Written straight from the shape, tags left out by the mixin: no tree is built per event
        TaskEventDetail detail = new TaskEventDetail(shapes.task(view, false,
                instance == null || instance.attributes() == null ? Map.of() : instance.attributes()),
                iso(Instant.ofEpochMilli(timestamp)));
        String arn = arns.task(task.cluster(), taskId);
        return List.of(event(arn, EcsEvent.TASK_STATE_CHANGE, view.lastStatus().name(), view.version(), timestamp,
                mapper.getNodeFactory().pojoNode(detail)));
    }

    private List<EventStream.Event> instanceEvent(String instanceId, long timestamp) {
        InstanceControl control = controls.get(instanceId);
        boolean deregistered = control != null && InstanceControl.DEREGISTERED.equals(control.status());
        InstanceRegistration registration = registrations.get(instanceId);
        if (registration == null && deregistered) {
            registration = departed.remove(instanceId);
        }
        if (registration == null) {
            return List.of();
        }
        String status = control == null ? Clusters.ACTIVE : deregistered ? "INACTIVE" : control.status();
        int running = 0;
        int pending = 0;
        for (String taskId : tasksByInstance.getOrDefault(instanceId, Set.of())) {
            TaskView view = TaskView.fold(desired.get(taskId), reports.get(taskId));
            running += view.isRunning() ? 1 : 0;
            pending += view.isPending() ? 1 : 0;
        }
        Resources registered = registration.registeredResources() == null ? Resources.NONE
                : registration.registeredResources();
        Resources remaining = registration.remainingResources() == null ? registered
                : new Resources(registration.remainingResources().cpu(), registration.remainingResources().memory(),
                        registration.remainingResources().ports(), registration.remainingResources().portsUdp());
        // Connected as the records say: the agent's own last record, and the leader's decision on its heartbeats.
        boolean connected = !deregistered && !registration.shuttingDown()
                && (control == null || control.agentConnected());
        InstanceView view = new InstanceView(registration, connected, remaining, running, pending,
                null, control == null ? Map.of() : control.attributes(), control == null ? 0 : control.version());
        long version = view.version();
        ObjectNode detail = mapper.valueToTree(shapes.containerInstance(view, status));
        detail.remove("tags");
        detail.put("clusterArn", arns.cluster(registration.cluster()));
        ObjectNode content = detail.deepCopy();
        content.remove(List.of("version", "runningTasksCount", "pendingTasksCount"));
        if (content.equals(shown.get(instanceId))) {
            return List.of();
        }
        shown.put(instanceId, content);
        detail.put("version", version);
        detail.put("updatedAt", iso(Instant.ofEpochMilli(timestamp)));
        return List.of(event(arns.containerInstance(registration.cluster(), instanceId),
                EcsEvent.CONTAINER_INSTANCE_STATE_CHANGE, status, version, timestamp, detail));
    }

    private List<EventStream.Event> serviceEvents(ServiceRecord before, ServiceRecord after, long timestamp) {
        List<EventStream.Event> events = new ArrayList<>();
        Map<String, ServiceRecord.Deployment> previous = new HashMap<>();
        if (before != null) {
            before.deployments().forEach(d -> previous.put(d.id(), d));
        }
        for (ServiceRecord.Deployment d : after.deployments()) {
            ServiceRecord.Deployment old = previous.get(d.id());
            if (d.rolloutState() == null || (old != null && d.rolloutState().equals(old.rolloutState()))) {
                continue;
            }
            String name = "SERVICE_DEPLOYMENT_" + d.rolloutState();
            boolean failed = ServiceRecord.Deployment.FAILED.equals(d.rolloutState());
            Instant updatedAt = d.updatedAt() == null ? Instant.ofEpochMilli(timestamp) : d.updatedAt();
            events.add(event(after.serviceArn(), EcsEvent.DEPLOYMENT_STATE_CHANGE, name + "/" + d.id(),
                    after.version(), timestamp, mapper.valueToTree(new EcsEvent.DeploymentStateChange(
                            failed ? "ERROR" : "INFO", name, d.id(), updatedAt, d.rolloutStateReason()))));
        }
        Set<String> seen = new HashSet<>();
        if (before != null) {
            before.events().forEach(e -> seen.add(e.id()));
        }
        List<ServiceRecord.Event> added = new ArrayList<>();
        for (ServiceRecord.Event e : after.events()) {
            if (!seen.contains(e.id())) {
                added.add(0, e);
            }
        }
        for (ServiceRecord.Event e : added) {
            EcsEvent.ServiceAction action = action(after, e);
            if (action != null) {
                events.add(event(after.serviceArn(), EcsEvent.SERVICE_ACTION, action.eventName() + "/" + e.id(),
                        after.version(), timestamp, mapper.valueToTree(action)));
            }
        }
        return events;
    }

    /** The ECS service action that a service event of the scheduler's reports, if any. */
    private EcsEvent.ServiceAction action(ServiceRecord service, ServiceRecord.Event e) {
        return ServiceAction.of(e.message()).map(action -> new EcsEvent.ServiceAction(action.eventType(),
                action.name(), arns.cluster(service.cluster()), e.createdAt(),
                action == ServiceAction.SERVICE_TASK_PLACEMENT_FAILURE
                        ? ServiceAction.placementReason(e.message()).orElse(null) : null)).orElse(null);
    }

    private EventStream.Event event(String arn, String detailType, String name, long version, long timestamp,
            com.fasterxml.jackson.databind.JsonNode detail) {
        String id = UUID.nameUUIDFromBytes((arn + "|" + detailType + "|" + name + "|" + version)
                .getBytes(StandardCharsets.UTF_8)).toString();
        EcsEvent event = new EcsEvent(EcsEvent.ENVELOPE_VERSION, id, detailType, EcsEvent.SOURCE, arns.account(),
                Instant.ofEpochMilli(timestamp).truncatedTo(ChronoUnit.SECONDS).toString(), arns.region(), List.of(arn),
                detail, EcsEvent.SCHEMA_VERSION);
        try {
            return new EventStream.Event(arn, mapper.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ECS event does not encode: " + e.getMessage(), e);
        }
    }

    /** A time of {@code detail}, as ECS writes it: UTC, with milliseconds. */
    private static String iso(Instant instant) {
        return MILLIS.format(instant);
    }
}
