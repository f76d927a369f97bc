package dev.berth.api.kafka;

import static dev.berth.scheduler.TestRecords.T0;
import static dev.berth.scheduler.TestRecords.definition;
import static dev.berth.scheduler.TestRecords.desired;
import static dev.berth.scheduler.TestRecords.instance;
import static dev.berth.scheduler.TestRecords.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.api.shape.EcsShapes;
import dev.berth.model.Arns;
import dev.berth.model.ContainerOverride;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.KeyValuePair;
import dev.berth.model.NetworkBinding;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.ServiceRecord;
import dev.berth.protocol.TaskStateChange;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.messaging.EventStream;
import dev.berth.scheduler.state.TaskView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EcsEventFoldTest {

    private static final Arns ARNS = new Arns("aws", "eu-west-1", "123456789012");
    private static final String TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/default/t1";
    private static final String INSTANCE_ARN = "arn:aws:ecs:eu-west-1:123456789012:container-instance/default/i-1";

    /** The {@code $defs} of event.schema.json that declare each detail-type's {@code detail}. */
    private static final java.util.Map<String, String> DETAILS = java.util.Map.of(
            "ECS Task State Change", "task",
            "ECS Container Instance State Change", "containerInstance",
            "ECS Service Action", "serviceAction",
            "ECS Deployment State Change", "deploymentStateChange");

    private final ObjectMapper mapper = new ObjectMapper();
    private long clock = T0.toEpochMilli();

    private List<JsonNode> fold(EcsEventFold fold, Topic topic, String key, BerthRecord value) {
        clock += 1_000;
        List<JsonNode> events = new ArrayList<>();
        for (EventStream.Event event : fold.apply(new EventStream.Source(topic, key, value, clock))) {
            String json = new String(event.value(), StandardCharsets.UTF_8);
            PublicSchemas.assertMatches("event", json);
            try {
                JsonNode node = mapper.readTree(json);
                assertThat(event.key()).isEqualTo(node.path("resources").get(0).asText());
                // Every field of the detail, at any depth, is declared in the schema with its type
                String detailType = node.path("detail-type").asText();
                assertThat(DETAILS).as("the $defs of %s", detailType).containsKey(detailType);
                assertThat(PublicSchemas.undeclared("event", DETAILS.get(detailType), node.path("detail")))
                        .as("fields of an %s detail that event.schema.json does not declare", detailType).isEmpty();
                events.add(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }

    @Test
    void aTasksEventsNeverGoBackInTimeWhenItsAgentsClockRunsBehind() {
        // Given: the desired record dated by the scheduler, then a report sent by an agent 10 minutes behind
        EcsEventFold fold = new EcsEventFold(ARNS);
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, null), 1);
        long placed = T0.toEpochMilli();
        List<EventStream.Event> first = fold.apply(new EventStream.Source(Topic.TASKS, "t1", task, placed));

        // When
        List<EventStream.Event> running = fold.apply(new EventStream.Source(Topic.TASK_EVENTS, "t1",
                report("t1", "i-1", TaskStatus.RUNNING, 1), placed - 600_000));

        // Then: the RUNNING event is dated no earlier than the one before it
        assertThat(first).hasSize(1);
        assertThat(running).hasSize(1);
        JsonNode event = read(running.get(0));
        assertThat(event.path("time").asText()).isEqualTo(read(first.get(0)).path("time").asText());
        assertThat(event.path("detail").path("updatedAt").asText())
                .isEqualTo(read(first.get(0)).path("detail").path("updatedAt").asText());
    }

    private JsonNode read(EventStream.Event event) {
        try {
            return mapper.readTree(new String(event.value(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyNewerTaskRecordIsOneTaskStateChangeWhoseVersionGrowsByOne() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, null), 1);

        // When: placed, reported pending and running, a repeat of the report, stopped and reported stopped
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.TASKS, "t1", task));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.PENDING, 1)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 2)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 2)));
        events.addAll(fold(fold, Topic.TASKS, "t1", task.stop(2, "UserInitiated", "done")));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.STOPPED, 3)));

        // Then
        assertThat(events).extracting(e -> e.path("detail").path("lastStatus").asText() + "/"
                + e.path("detail").path("desiredStatus").asText() + "@" + e.path("detail").path("version").asLong())
                .containsExactly("PENDING/RUNNING@1", "PENDING/RUNNING@2", "RUNNING/RUNNING@3", "RUNNING/STOPPED@4",
                        "STOPPED/STOPPED@5");
        JsonNode first = events.get(0);
        assertThat(first.path("version").asText()).isEqualTo("0");
        assertThat(first.path("detail-type").asText()).isEqualTo("ECS Task State Change");
        assertThat(first.path("source").asText()).isEqualTo("aws.ecs");
        assertThat(first.path("account").asText()).isEqualTo("123456789012");
        assertThat(first.path("region").asText()).isEqualTo("eu-west-1");
        assertThat(first.path("resources").get(0).asText()).isEqualTo(TASK_ARN);
        assertThat(first.path("time").asText()).isEqualTo("2025-01-01T00:00:01Z");
        assertThat(first.path("detail").path("taskArn").asText()).isEqualTo(TASK_ARN);
        assertThat(first.path("detail").path("containerInstanceArn").asText()).isEqualTo(INSTANCE_ARN);
        assertThat(first.path("detail").path("createdAt").asText()).isEqualTo("2025-01-01T00:00:00.000Z");
        JsonNode running = events.get(2).path("detail");
        assertThat(running.path("startedAt").asText()).isEqualTo("2025-01-01T00:00:05.000Z");
        assertThat(running.path("containers").get(0).path("runtimeId").asText()).isEqualTo("c0ffee");
        assertThat(running.path("containers").get(0).path("networkBindings").get(0).path("hostPort").asInt())
                .isEqualTo(8080);
        assertThat(events.get(4).path("detail").path("stoppedReason").asText()).isEqualTo("done");
        assertThat(events).extracting(e -> e.path("id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void aTaskStateChangeCarriesItsInstancesCpuArchitectureAndNoTags() {
        // Given: the instance, as its agent registered it
        EcsEventFold fold = new EcsEventFold(ARNS);
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 1);
        fold(fold, Topic.INSTANCES, "i-1", new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 1, "i-1", "default",
                "i-1.local", "0.1.0", registered.registeredResources(), java.util.Map.of("ecs.cpu-architecture",
                        "arm64"), T0, T0, false, null, null, null));

        // When
        List<JsonNode> events = fold(fold, Topic.TASKS, "t1", desired("t1", "i-1", definition("web", 1, 64, null), 1));

        // Then: as DescribeTasks shows the task, without DescribeTasks' empty tags
        JsonNode detail = events.get(0).path("detail");
        assertThat(detail.path("attributes").get(0).path("name").asText()).isEqualTo("ecs.cpu-architecture");
        assertThat(detail.path("attributes").get(0).path("value").asText()).isEqualTo("arm64");
        assertThat(detail.path("connectivity").asText()).isEqualTo("CONNECTED");
        assertThat(detail.has("tags")).isFalse();
    }

    @Test
    void aTaskStateChangesDetailIsDescribeTasksShapeWithoutTagsAndWithUpdatedAt() {
        // Given: a task placed and reported on a registered instance
        EcsEventFold fold = new EcsEventFold(ARNS);
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 1);
        fold(fold, Topic.INSTANCES, "i-1", registered);
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, 8080), 1);
        fold(fold, Topic.TASKS, "t1", task);

        // When
        List<JsonNode> events = fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 1));

        // Then: field for field what DescribeTasks shows, as a tree of it with tags taken out would be
        java.time.format.DateTimeFormatter millis = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        ObjectMapper writer = RecordCodec.newMapper().copy().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule().addSerializer(
                        java.time.Instant.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(
                                java.time.Instant.class) {
                            @Override
                            public void serialize(java.time.Instant value, com.fasterxml.jackson.core.JsonGenerator out,
                                    com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
                                out.writeString(millis.format(value));
                            }
                        }));
        com.fasterxml.jackson.databind.node.ObjectNode expected = writer.valueToTree(new EcsShapes(ARNS).task(
                TaskView.fold(task, report("t1", "i-1", TaskStatus.RUNNING, 1)), false,
                registered.attributes() == null ? java.util.Map.of() : registered.attributes()));
        expected.remove("tags");
        expected.put("updatedAt", millis.format(java.time.Instant.ofEpochMilli(clock)));
        // (compared as JSON text, in order: the numbers of a tree made from objects are longs, of one read back ints)
        assertThat(events.get(0).path("detail").toString()).isEqualTo(expected.toString());
    }

    @Test
    void theSameRecordsMakeTheSameEventsByteForByte() {
        // Given: two leaders' folds of the same records
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (List<String> out : List.of(first, second)) {
            EcsEventFold fold = new EcsEventFold(ARNS);
            long at = T0.toEpochMilli();
            for (BerthRecord record : List.of(desired("t1", "i-1", definition("web", 1, 64, null), 1),
                    report("t1", "i-1", TaskStatus.RUNNING, 1))) {
                Topic topic = record instanceof DesiredTask ? Topic.TASKS : Topic.TASK_EVENTS;
                fold.apply(new EventStream.Source(topic, "t1", record, at += 10))
                        .forEach(e -> out.add(new String(e.value(), StandardCharsets.UTF_8)));
            }
        }

        // Then: a consumer that sees both drops the second by id or by version
        assertThat(second).isEqualTo(first).hasSize(2);
    }

    @Test
    void aReportBeforeItsDesiredTaskIsShownWithIt() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);

        // When
        List<JsonNode> early = fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 1));
        List<JsonNode> events = fold(fold, Topic.TASKS, "t1", desired("t1", "i-1", definition("web", 1, 64, null), 1));

        // Then
        assertThat(early).isEmpty();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("detail").path("lastStatus").asText()).isEqualTo("RUNNING");
            assertThat(e.path("detail").path("version").asLong()).isEqualTo(2);
        });
    }

    @Test
    void aChangeTheAgentCoalescedSkipsAVersionAndALateReportTakesNoneBack() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, null), 1);

        // When: the agent's report 2 was replaced by 3 before Kafka had it; report 2 comes late, as a resend
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.TASKS, "t1", task));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.PENDING, 1)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 3)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.PENDING, 2)));
        events.addAll(fold(fold, Topic.TASKS, "t1", task.stop(2, "UserInitiated", "done")));

        // Then: the version skips the change that never reached Kafka, and never goes back
        assertThat(events).extracting(e -> e.path("detail").path("version").asLong()).containsExactly(1L, 2L, 4L, 5L);
    }

    @Test
    void aReportNamingAnotherInstanceIsShownAsDescribeTasksShowsItWithoutTakingTheVersionBack() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);

        // When
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.TASKS, "t1", desired("t1", "i-1", definition("web", 1, 64, null), 1)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 1)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-2", TaskStatus.STOPPED, 2)));

        // Then
        assertThat(events).extracting(e -> e.path("detail").path("version").asLong()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aTombstoneOnEitherTopicEndsTheTaskSoWhatTheOtherStillHoldsShowsNoOlderTask() {
        // Given: a task shown at version 3
        EcsEventFold fold = new EcsEventFold(ARNS);
        DesiredTask task = desired("t1", "i-1", definition("web", 1, 64, null), 1);
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.TASKS, "t1", task));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 1)));
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.STOPPED, 2)));

        // When: the reports' tombstone is read before a desired record written ahead of the desired tombstone
        events.addAll(fold(fold, Topic.TASK_EVENTS, "t1", null));
        events.addAll(fold(fold, Topic.TASKS, "t1", task.stop(2, "EssentialContainerExited", "exited")));
        events.addAll(fold(fold, Topic.TASKS, "t1", null));

        // Then: nothing after the tombstone (the desired record alone would have shown version 2)
        assertThat(events).extracting(e -> e.path("detail").path("version").asLong()).containsExactly(1L, 2L, 3L);
    }

    /**
     * What a consumer sees of one task over random schedules, with a failover at a random
     * point: the agent sends some of its report versions (it coalesces what Kafka has not
     * acknowledged yet), resends some, and the two topics are read in any interleaving, also a
     * different one when the new leader replays. Every version is the one DescribeTasks shows
     * once those records are read, and the versions a consumer sees only grow: never a repeat,
     * never a step back. They skip exactly the report versions that the agent coalesced and the
     * records that were folded without an event of their own (reports read before the desired
     * record).
     */
    @Test
    void versionsOnlyGrowOverAnyScheduleAndFailoverAndSkipOnlyWhatWasNotShownApart() {
        for (long seed = 1; seed <= 500; seed++) {
            Random random = new Random(seed);
            DesiredTask placed = desired("t1", "i-1", definition("web", 1, 64, null), 1);
            List<BerthRecord> desiredRecords = new ArrayList<>(List.of(placed));
            if (random.nextBoolean()) {
                desiredRecords.add(placed.stop(2, "UserInitiated", "stop"));
            }
            int changes = 1 + random.nextInt(5);
            List<BerthRecord> reportRecords = new ArrayList<>();
            for (int v = 1; v <= changes; v++) {
                if (v == changes || random.nextInt(3) > 0) {
                    reportRecords.add(report("t1", "i-1", v == changes ? TaskStatus.STOPPED : TaskStatus.RUNNING, v));
                    if (random.nextInt(4) == 0) {
                        reportRecords.add(reportRecords.get(reportRecords.size() - 1));
                    }
                }
            }
            List<BerthRecord> read = interleave(random, desiredRecords, reportRecords);
            int cut = random.nextInt(read.size() + 1);

            // Given: a first leader that publishes the events of the records before the cut
            List<Long> published = new ArrayList<>();
            EcsEventFold first = new EcsEventFold(ARNS);
            for (BerthRecord record : read.subList(0, cut)) {
                published.addAll(versions(first, record));
            }

            // When: the next one replays the same records in another interleaving, then publishes the rest
            EcsEventFold second = new EcsEventFold(ARNS);
            List<BerthRecord> before = read.subList(0, cut);
            for (BerthRecord record : interleave(random, before.stream().filter(DesiredTask.class::isInstance).toList(),
                    before.stream().filter(r -> !(r instanceof DesiredTask)).toList())) {
                versions(second, record);
            }
            long highestDesired = 0;
            long highestReport = 0;
            int shownApart = 0;
            for (BerthRecord record : read) {
                boolean isDesired = record instanceof DesiredTask;
                long before2 = highestDesired + highestReport;
                if (isDesired) {
                    highestDesired = Math.max(highestDesired, record.version());
                } else {
                    highestReport = Math.max(highestReport, record.version());
                }
                if (highestDesired > 0 && highestDesired + highestReport > before2) {
                    shownApart++;
                }
            }
            for (BerthRecord record : read.subList(cut, read.size())) {
                published.addAll(versions(second, record));
            }

            // Then
            long last = desiredRecords.get(desiredRecords.size() - 1).version() + changes;
            assertThat(published).as("seed %d, read %s, cut %d", seed, read, cut).isSorted().doesNotHaveDuplicates()
                    .hasSize(shownApart).last().isEqualTo(last);
        }
    }

    /** The records of two partitions in a random interleaving, each partition's in its order. */
    private static List<BerthRecord> interleave(Random random, List<BerthRecord> a, List<BerthRecord> b) {
        List<BerthRecord> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            boolean fromA = j == b.size() || (i < a.size() && random.nextBoolean());
            out.add(fromA ? a.get(i++) : b.get(j++));
        }
        return out;
    }

    private long at = T0.toEpochMilli();

    private List<Long> versions(EcsEventFold fold, BerthRecord record) {
        Topic topic = record instanceof DesiredTask ? Topic.TASKS : Topic.TASK_EVENTS;
        List<Long> versions = new ArrayList<>();
        for (EventStream.Event event : fold.apply(new EventStream.Source(topic, "t1", record, at += 10))) {
            try {
                versions.add(mapper.readTree(event.value()).path("detail").path("version").asLong());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return versions;
    }

    @Test
    void anInstanceIsAnEventWhenWhatItShowsChangesNotOnEveryHeartbeat() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 100);

        // When
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", registered));
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", instance("i-1", "default", 2048, 4096, T0.plusSeconds(10),
                110)));
        events.addAll(fold(fold, Topic.INSTANCE_CONTROL, "i-1", new InstanceControl(BerthRecord.SCHEMA_VERSION, 1,
                "i-1", "default", InstanceControl.DRAINING, T0)));
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 120,
                "i-1", "default", "i-1.local", "0.1.0", registered.registeredResources(), registered.attributes(), T0,
                T0.plusSeconds(20), true, null, null, null)));

        // Then
        assertThat(events).extracting(e -> e.path("detail").path("status").asText() + "/"
                + e.path("detail").path("agentConnected").asBoolean() + "@" + e.path("detail").path("version").asLong())
                .containsExactly("ACTIVE/true@100", "DRAINING/true@111", "DRAINING/false@121");
        JsonNode detail = events.get(0).path("detail");
        assertThat(events.get(0).path("detail-type").asText()).isEqualTo("ECS Container Instance State Change");
        assertThat(detail.path("containerInstanceArn").asText()).isEqualTo(INSTANCE_ARN);
        assertThat(detail.path("clusterArn").asText()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:cluster/default");
        assertThat(detail.path("registeredResources").get(0).path("name").asText()).isEqualTo("CPU");
        assertThat(detail.path("registeredResources").get(0).path("integerValue").asInt()).isEqualTo(2048);
    }

    @Test
    void aDeregisteredInstanceIsOneInactiveEventWithItsAgentDisconnectedInEitherOrderOfItsTwoRecords() {
        // Given: DeregisterContainerInstance writes a tombstone on berth.instances and the control record
        // DEREGISTERED in one transaction; a poll folds them in either order
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 100);
        InstanceControl deregistered = new InstanceControl(BerthRecord.SCHEMA_VERSION, 1, "i-1", "default",
                InstanceControl.DEREGISTERED, T0);
        EcsEventFold tombstoneFirst = new EcsEventFold(ARNS);
        EcsEventFold controlFirst = new EcsEventFold(ARNS);
        fold(tombstoneFirst, Topic.INSTANCES, "i-1", registered);
        fold(controlFirst, Topic.INSTANCES, "i-1", registered);

        // When
        List<JsonNode> afterTombstoneFirst = new ArrayList<>();
        afterTombstoneFirst.addAll(fold(tombstoneFirst, Topic.INSTANCES, "i-1", null));
        afterTombstoneFirst.addAll(fold(tombstoneFirst, Topic.INSTANCE_CONTROL, "i-1", deregistered));
        List<JsonNode> afterControlFirst = new ArrayList<>();
        afterControlFirst.addAll(fold(controlFirst, Topic.INSTANCE_CONTROL, "i-1", deregistered));
        afterControlFirst.addAll(fold(controlFirst, Topic.INSTANCES, "i-1", null));

        // Then
        for (List<JsonNode> events : List.of(afterTombstoneFirst, afterControlFirst)) {
            assertThat(events).extracting(e -> e.path("detail").path("status").asText() + "/"
                    + e.path("detail").path("agentConnected").asBoolean() + "@"
                    + e.path("detail").path("version").asLong()).containsExactly("INACTIVE/false@101");
        }
    }

    @Test
    void anAgentIsDisconnectedWhenTheLeaderRecordsItSoAndConnectedWhenItRecordsItHeardAgain() {
        // Given: an instance, and the leader's control records when its agent went silent and came back
        EcsEventFold fold = new EcsEventFold(ARNS);
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 100);
        InstanceControl silent = InstanceControl.none("i-1", "default")
                .withAgentDisconnectedAt(T0.plusSeconds(70), T0.plusSeconds(70));
        InstanceControl heard = silent.withAgentDisconnectedAt(null, T0.plusSeconds(90));

        // When: heartbeats (the same registration) come between them, as they do
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", registered));
        events.addAll(fold(fold, Topic.INSTANCE_CONTROL, "i-1", silent));
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", registered));
        events.addAll(fold(fold, Topic.INSTANCE_CONTROL, "i-1", heard));
        events.addAll(fold(fold, Topic.INSTANCES, "i-1", registered));

        // Then: one event for each decision, its version one up from the last
        assertThat(events).extracting(e -> e.path("detail").path("agentConnected").asBoolean() + "@"
                + e.path("detail").path("version").asLong())
                .containsExactly("true@100", "false@101", "true@102");
    }

    @Test
    void aServiceReportsItsDeploymentsAndItsSteadyState() {
        // Given
        EcsEventFold fold = new EcsEventFold(ARNS);
        String arn = "arn:aws:ecs:eu-west-1:123456789012:service/default/web";
        ServiceRecord.Deployment rolling = new ServiceRecord.Deployment("ecs-svc/1", "PRIMARY", "web:1", 0, T0, T0,
                ServiceRecord.Deployment.IN_PROGRESS, "ECS deployment ecs-svc/1 in progress.");
        ServiceRecord created = new ServiceRecord(BerthRecord.SCHEMA_VERSION, 1, "default", "web", arn,
                ServiceRecord.ACTIVE, ServiceRecord.REPLICA, 1, "web:1", null, null, null, List.of(rolling), List.of(),
                T0, "hash");
        ServiceRecord.Deployment done = new ServiceRecord.Deployment("ecs-svc/1", "PRIMARY", "web:1", 0, T0,
                T0.plusSeconds(30), ServiceRecord.Deployment.COMPLETED, "ECS deployment ecs-svc/1 completed.");
        ServiceRecord steady = created.with(2, ServiceRecord.ACTIVE, 1, "web:1", null, List.of(done), List.of(
                new ServiceRecord.Event("e2", T0.plusSeconds(31), "(service web) has reached a steady state."),
                new ServiceRecord.Event("e1", T0.plusSeconds(30), "(service web) (deployment ecs-svc/1) deployment "
                        + "completed.")));

        // When
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.SERVICES, "default/web", created));
        events.addAll(fold(fold, Topic.SERVICES, "default/web", steady));

        // Then
        assertThat(events).extracting(e -> e.path("detail-type").asText() + "/" + e.path("detail").path("eventName")
                .asText()).containsExactly("ECS Deployment State Change/SERVICE_DEPLOYMENT_IN_PROGRESS",
                        "ECS Deployment State Change/SERVICE_DEPLOYMENT_COMPLETED",
                        "ECS Service Action/SERVICE_STEADY_STATE");
        assertThat(events).allSatisfy(e -> assertThat(e.path("resources").get(0).asText()).isEqualTo(arn));
        assertThat(events.get(1).path("detail").path("deploymentId").asText()).isEqualTo("ecs-svc/1");
        assertThat(events.get(1).path("detail").path("updatedAt").asText()).isEqualTo("2025-01-01T00:00:30.000Z");
        assertThat(events.get(2).path("detail").path("createdAt").asText()).isEqualTo("2025-01-01T00:00:31.000Z");
    }

    @Test
    void everyFieldOfATaskAndOfItsInstanceIsDeclaredInTheSchemaWithItsType() {
        // Given: an instance with attributes, and a task of a group with overrides, pulled, health-checked,
        // then stopped by its agent with an exit code, a reason and its ports bound
        EcsEventFold fold = new EcsEventFold(ARNS);
        InstanceRegistration registered = instance("i-1", "default", 2048, 4096, T0, 1);
        TaskOverride overrides = new TaskOverride(List.of(new ContainerOverride("web", List.of("sh", "-c", "true"),
                List.of(new KeyValuePair("MODE", "test")), 64, 128, 32)), "256", "512");
        DesiredTask task = new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, "t1",
                "arn:aws:ecs:us-east-1:000000000000:task/default/t1", "default", "i-1",
                definition("web", 1, 64, 8080), overrides, TaskStatus.RUNNING, "me", "service:web", T0, null, null);
        List<NetworkBinding> bindings = List.of(new NetworkBinding("0.0.0.0", 80, 8080, "tcp"));
        TaskStateChange stopped = new TaskStateChange(BerthRecord.SCHEMA_VERSION, 2, "t1", "default", "i-1",
                TaskStatus.STOPPED, List.of(new ContainerState("web", "c0ffee", "busybox", ContainerStatus.STOPPED, 137,
                        "OutOfMemoryError: Container killed due to memory usage", bindings, HealthStatus.UNHEALTHY, 1)),
                "EssentialContainerExited", "Essential container in task exited", T0.plusSeconds(1),
                T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(8), T0.plusSeconds(10), T0.plusSeconds(10));

        // When: each event is walked as it is folded (see fold)
        List<JsonNode> instanceEvents = fold(fold, Topic.INSTANCES, "i-1", registered);
        fold(fold, Topic.TASKS, "t1", task);
        fold(fold, Topic.TASK_EVENTS, "t1", report("t1", "i-1", TaskStatus.RUNNING, 1));
        List<JsonNode> taskEvents = fold(fold, Topic.TASK_EVENTS, "t1", stopped);
        instanceEvents.addAll(fold(fold, Topic.INSTANCE_CONTROL, "i-1", new InstanceControl(
                BerthRecord.SCHEMA_VERSION, 1, "i-1", "default", InstanceControl.DRAINING, T0)));

        // Then: the walk saw the fields a reader is most likely to read with a type in mind
        JsonNode detail = taskEvents.get(0).path("detail");
        assertThat(detail.fieldNames()).toIterable().contains("overrides", "attributes", "connectivity",
                "connectivityAt", "enableExecuteCommand", "attachments", "group", "stopCode", "pullStartedAt",
                "stoppingAt", "stoppedAt", "healthStatus");
        assertThat(detail.path("overrides").path("containerOverrides").get(0).path("environment").get(0)
                .path("value").asText()).isEqualTo("test");
        JsonNode container = detail.path("containers").get(0);
        assertThat(container.fieldNames()).toIterable().contains("exitCode", "reason", "networkBindings",
                "networkInterfaces", "healthStatus", "memory");
        assertThat(container.path("networkBindings").get(0).path("bindIP").asText()).isEqualTo("0.0.0.0");
        assertThat(instanceEvents).hasSize(2).allSatisfy(e -> assertThat(e.path("detail").fieldNames()).toIterable()
                .contains("versionInfo", "attributes", "attachments", "registeredAt", "remainingResources"));
    }

    @Test
    void aFailedDeploymentAndEveryServiceActionMatchTheSchema() {
        // Given: a service whose deployment failed, with the scheduler's events of each ECS service action
        EcsEventFold fold = new EcsEventFold(ARNS);
        String arn = "arn:aws:ecs:eu-west-1:123456789012:service/default/web";
        ServiceRecord.Deployment rolling = new ServiceRecord.Deployment("ecs-svc/1", "PRIMARY", "web:1", 0, T0, T0,
                ServiceRecord.Deployment.IN_PROGRESS, "ECS deployment ecs-svc/1 in progress.");
        ServiceRecord created = new ServiceRecord(BerthRecord.SCHEMA_VERSION, 1, "default", "web", arn,
                ServiceRecord.ACTIVE, ServiceRecord.REPLICA, 1, "web:1", null, null, null, List.of(rolling), List.of(),
                T0, "hash");
        ServiceRecord.Deployment failed = new ServiceRecord.Deployment("ecs-svc/1", "PRIMARY", "web:1", 3, T0,
                T0.plusSeconds(60), ServiceRecord.Deployment.FAILED,
                "ECS deployment circuit breaker: tasks failed to start.");
        ServiceRecord failing = created.with(2, ServiceRecord.ACTIVE, 1, "web:1", null, List.of(failed), List.of(
                new ServiceRecord.Event("e4", T0.plusSeconds(60), "(service web) was unable to place a task because "
                        + "no container instance met all of its requirements. The closest matching (container-instance "
                        + "i-1) has insufficient memory available. 1 instances: 1 RESOURCE:MEMORY."),
                new ServiceRecord.Event("e3", T0.plusSeconds(50), "(service web) is unable to consistently start "
                        + "tasks successfully."),
                new ServiceRecord.Event("e2", T0.plusSeconds(40), "(service web) has stopped 2 running tasks: "
                        + "(task t1) (task t2)."),
                new ServiceRecord.Event("e1", T0.plusSeconds(30), "(service web) (deployment ecs-svc/1) deployment "
                        + "failed: tasks failed to start.")));

        // When: each event is checked against the schema and walked as it is folded (see fold)
        List<JsonNode> events = new ArrayList<>();
        events.addAll(fold(fold, Topic.SERVICES, "default/web", created));
        events.addAll(fold(fold, Topic.SERVICES, "default/web", failing));

        // Then
        assertThat(events).extracting(e -> e.path("detail-type").asText() + "/" + e.path("detail").path("eventType")
                .asText() + "/" + e.path("detail").path("eventName").asText()).containsExactly(
                        "ECS Deployment State Change/INFO/SERVICE_DEPLOYMENT_IN_PROGRESS",
                        "ECS Deployment State Change/ERROR/SERVICE_DEPLOYMENT_FAILED",
                        "ECS Service Action/INFO/TASKS_STOPPED",
                        "ECS Service Action/WARN/SERVICE_TASK_START_IMPAIRED",
                        "ECS Service Action/ERROR/SERVICE_TASK_PLACEMENT_FAILURE");
        assertThat(events.get(1).path("detail").path("reason").asText())
                .isEqualTo("ECS deployment circuit breaker: tasks failed to start.");
        assertThat(events.get(4).path("detail").path("reason").asText()).isEqualTo("RESOURCE:MEMORY");
    }
}
