package dev.berth.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.model.ContainerStatus;
import dev.berth.model.PlacementConstraint;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    /** Reads the test's task definitions: one mapper, since making one costs far more than a read. */
    private static final com.fasterxml.jackson.databind.ObjectMapper DEFINITIONS = RecordCodec.newMapper();

    private final RecordCodec codec = new RecordCodec();

    @Test
    void aRecordSurvivesTheRoundTripWithItsTypeAndVersions() {
        // Given
        TaskStateChange change = new TaskStateChange(BerthRecord.SCHEMA_VERSION, 7, "t1", "default", "i1",
                TaskStatus.STOPPED,
                List.of(new ContainerState("web", "abc", "busybox", ContainerStatus.STOPPED, 3, null, List.of())),
                "EssentialContainerExited", "Essential container in task exited", null, null,
                Instant.ofEpochSecond(100, 500_000_000), null, Instant.ofEpochSecond(200), Instant.ofEpochSecond(201));

        // When
        byte[] bytes = codec.encode(change);
        RecordCodec.Decoded decoded = codec.decode(bytes);

        // Then
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\":\"TaskStateChange\"", "\"schemaVersion\":1", "\"version\":7",
                "\"startedAt\":100.5");
        assertThat(json).doesNotContain("null");
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(change));
    }

    @Test
    void whatTheSchedulerAndTheAgentNowKeepIsReadBackByTheNextLeader() {
        // Given: a service with its last completed deployment, a deployment's newest healthy start and
        // a launch type; a task's launch type and when it was lost; an instance's runtime health: what
        // a leader that takes over after a kill -9 has only Kafka's copy of
        ServiceRecord.Deployment completed = new ServiceRecord.Deployment("ecs-svc/1", "ACTIVE", "web:1", 0,
                Instant.ofEpochSecond(10), Instant.ofEpochSecond(20), "COMPLETED", "done", 0, null,
                Instant.ofEpochSecond(15));
        ServiceRecord service = new ServiceRecord(BerthRecord.SCHEMA_VERSION, 3, "default", "web", "arn", "ACTIVE",
                ServiceRecord.REPLICA, 2, "web:2",
                new ServiceRecord.DeploymentConfiguration(100, 0, new ServiceRecord.CircuitBreaker(true, true, false)),
                null, null, List.of(new ServiceRecord.Deployment("ecs-svc/2", "PRIMARY", "web:2", 1,
                        Instant.ofEpochSecond(30), Instant.ofEpochSecond(31), "IN_PROGRESS", "rolling", 1, null,
                        Instant.ofEpochSecond(32))),
                List.of(), Instant.ofEpochSecond(1), "hash", List.of(), null, null, completed, "EXTERNAL", 30);
        InstanceRegistration instance = new InstanceRegistration(BerthRecord.SCHEMA_VERSION, 4, "i1", "default", "h1",
                "1.0", null, null, Instant.ofEpochSecond(1), Instant.ofEpochSecond(2), false, null, "28.2.2", "s1",
                new InstanceRegistration.RuntimeHealth(InstanceRegistration.RuntimeHealth.IMPAIRED,
                        Instant.ofEpochSecond(3)));

        DesiredTask lost = task("t1", definition("web", 1)).withLaunchType("EXTERNAL")
                .lost(2, "TerminationNotice", "Container instance i-1 was lost", Instant.ofEpochSecond(40, 5));

        // Then
        for (BerthRecord record : List.<BerthRecord>of(service, instance, lost)) {
            assertThat(codec.decode(codec.encode(record))).isEqualTo(new RecordCodec.Decoded.Record(record));
        }
    }

    @Test
    void aServiceKeptWithAnEmptyDistinctInstanceExpressionIsReadWithoutOne() {
        // Given: a service as an earlier Berth wrote it, before it refused the empty expression as ECS does
        ServiceRecord service = new ServiceRecord(BerthRecord.SCHEMA_VERSION, 3, "default", "web", "arn", "ACTIVE",
                ServiceRecord.REPLICA, 2, "web:1", null,
                List.of(new PlacementConstraint("distinctInstance", null),
                        new PlacementConstraint("memberOf", "attribute:stack == prod")),
                null, List.of(), List.of(), Instant.ofEpochSecond(1), "hash", List.of(), null, null, null, null, null);
        String json = new String(codec.encode(service), StandardCharsets.UTF_8);
        String kept = json.replace("{\"type\":\"distinctInstance\"}",
                "{\"type\":\"distinctInstance\",\"expression\":\"\"}");
        assertThat(kept).as("the old form").contains("\"expression\":\"\"");

        // When
        RecordCodec.Decoded decoded = codec.decode(kept.getBytes(StandardCharsets.UTF_8));

        // Then: placement reads it as the distinctInstance it meant, and the memberOf as it was
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(service));
    }

    @Test
    void anUnknownTypeIsSkippedNotDeadLettered() {
        // When
        RecordCodec.Decoded decoded = codec.decode(
                "{\"type\":\"SomethingFromTheFuture\",\"schemaVersion\":9,\"version\":1}".getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(decoded).isInstanceOf(RecordCodec.Decoded.Unknown.class);
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        // When
        RecordCodec.Decoded decoded = codec.decode(("{\"type\":\"Cluster\",\"schemaVersion\":2,\"version\":3,"
                + "\"clusterName\":\"prod\",\"status\":\"ACTIVE\",\"somethingNew\":{\"a\":1}}").getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(decoded).isEqualTo(new RecordCodec.Decoded.Record(new ClusterRecord(2, 3, "prod", "ACTIVE", null)));
    }

    @Test
    void garbageAndMissingSchemaVersionsArePoisonWithAReason() {
        // When
        RecordCodec.Decoded garbage = codec.decode("not json".getBytes(StandardCharsets.UTF_8));
        RecordCodec.Decoded noType = codec.decode("{\"version\":1}".getBytes(StandardCharsets.UTF_8));
        RecordCodec.Decoded noSchema = codec.decode("{\"type\":\"Cluster\",\"version\":1}".getBytes(StandardCharsets.UTF_8));

        // Then
        assertThat(garbage).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(((RecordCodec.Decoded.Poison) garbage).reason()).startsWith("undecodable record");
        assertThat(noType).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(noSchema).isInstanceOf(RecordCodec.Decoded.Poison.class);
        assertThat(((RecordCodec.Decoded.Poison) noSchema).reason()).contains("schemaVersion");
    }

    @Test
    void aTaskDefinitionIsWrittenAsJacksonWritesItAndReadOnceForEveryRecordThatCarriesIt() throws Exception {
        // Given: two tasks of one definition object, one of another, and a mapper without the sharing
        TaskDefinition web = definition("web", 1);
        TaskDefinition db = definition("db", 3);
        com.fasterxml.jackson.databind.ObjectWriter plain = RecordCodec.newMapper().writerFor(BerthRecord.class);
        List<DesiredTask> tasks = List.of(task("t1", web), task("t2", web), task("t3", db), task("t4", web));

        // When
        List<byte[]> encoded = tasks.stream().map(codec::encode).toList();
        List<DesiredTask> decoded = encoded.stream()
                .map(b -> (DesiredTask) ((RecordCodec.Decoded.Record) codec.decode(b)).value()).toList();

        // Then: the bytes are the plain ones, the values equal, and one definition object per distinct definition
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(new String(encoded.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(plain.writeValueAsString(tasks.get(i)));
            assertThat(decoded.get(i)).isEqualTo(tasks.get(i));
        }
        assertThat(decoded.get(1).taskDefinition()).isSameAs(decoded.get(0).taskDefinition())
                .isSameAs(decoded.get(3).taskDefinition());
        assertThat(decoded.get(2).taskDefinition()).isNotSameAs(decoded.get(0).taskDefinition());
        assertThat(decoded.get(0).taskDefinition().unmodelled()).containsEntry("pidMode", "host");
    }

    @Test
    void manyDefinitionsAtOnceOnManyThreadsAreEachWrittenAndReadAsTheyAre() throws Exception {
        // Given: more distinct definitions than the codec keeps, encoded and decoded on all cores
        com.fasterxml.jackson.databind.ObjectWriter plain = RecordCodec.newMapper().writerFor(BerthRecord.class);
        List<DesiredTask> tasks = java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> task("t" + i, definition("family-" + (i % 300), 1 + i % 7))).toList();

        // When
        List<byte[]> encoded = tasks.parallelStream().map(codec::encode).toList();
        List<RecordCodec.Decoded> decoded = encoded.parallelStream().map(codec::decode).toList();

        // Then
        for (int i = 0; i < tasks.size(); i += 97) {
            assertThat(new String(encoded.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(plain.writeValueAsString(tasks.get(i)));
        }
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(decoded.get(i)).isEqualTo(new RecordCodec.Decoded.Record(tasks.get(i)));
        }
    }

    private static TaskDefinition definition(String family, int revision) {
        try {
            return DEFINITIONS.readValue(("{\"family\":\"" + family + "\",\"revision\":" + revision
                    + ",\"status\":\"ACTIVE\",\"pidMode\":\"host\",\"registeredAt\":1700000000.5,"
                    + "\"containerDefinitions\":[{\"name\":\"" + family + "\",\"image\":\"busybox\","
                    + "\"memory\":64,\"essential\":true,\"environment\":[{\"name\":\"N\",\"value\":\""
                    + revision + "\"}]}]}").getBytes(StandardCharsets.UTF_8), TaskDefinition.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static DesiredTask task(String id, TaskDefinition definition) {
        return new DesiredTask(BerthRecord.SCHEMA_VERSION, 1, id, "arn:aws:ecs:us-east-1:0:task/c/" + id, "c",
                "i-1", definition, null, TaskStatus.RUNNING, "me", "family:" + definition.family(),
                Instant.ofEpochSecond(1_700_000_000, 123), null, null);
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(codec.decode(null)).isInstanceOf(RecordCodec.Decoded.Tombstone.class);
    }
}
