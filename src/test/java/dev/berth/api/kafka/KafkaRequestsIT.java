package dev.berth.api.kafka;

import dev.berth.testing.AgentAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.Resources;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ECS API through berth.requests and berth.responses, against a real broker, with plain
 * Kafka clients. Its own broker and application (the {@code isolated} argument): it stops and
 * starts the scheduler, whose restart announces another API URL to the tests that would share
 * the application.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = {@ResourceArg(name = "roles", value = "scheduler"),
        @ResourceArg(name = "isolated", value = "kafka-requests")})
class KafkaRequestsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    SchedulerRole scheduler;

    private RequestTopics topics;

    @BeforeEach
    void connect() {
        await().atMost(PATIENCE).until(scheduler::isReady);
        topics = new RequestTopics(KafkaBrokerResource.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        topics.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends a request and waits for its (first) response. */
    private JsonNode call(String operation, String body) {
        String id = unique("req");
        topics.request(id, operation, body);
        return awaitResponse(id);
    }

    /** Waits for the request's first response, which must match the published schema. */
    private JsonNode awaitResponse(String id) {
        JsonNode response = await().atMost(PATIENCE).until(() -> topics.responses(id), r -> !r.isEmpty()).get(0);
        PublicSchemas.assertMatches("response", response);
        return response;
    }

    /** A cluster with one registered instance (as an agent registers it) and a task definition, all through Kafka. */
    private void clusterWithInstance(String cluster, String family) throws Exception {
        assertThat(call("CreateCluster", "{\"clusterName\":\"" + cluster + "\"}").path("statusCode").asInt())
                .isEqualTo(200);
        assertThat(call("RegisterTaskDefinition", "{\"family\":\"" + family + "\",\"containerDefinitions\":"
                + "[{\"name\":\"web\",\"image\":\"busybox\",\"cpu\":128,\"memory\":64}]}").path("statusCode").asInt())
                .isEqualTo(200);
        String instanceId = unique("i");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        try (KafkaProducer<String, byte[]> agent = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            Instant now = Instant.now();
            agent.send(new ProducerRecord<>("berth.instances", instanceId, new RecordCodec().encode(
                    new InstanceRegistration(BerthRecord.SCHEMA_VERSION, now.toEpochMilli(), instanceId, cluster,
                            instanceId + ".test", "0.1.0", new Resources(4096, 4096, Set.of(22)),
                            AgentAttributes.DEFAULT, now, now, false, null, null, null)))).get();
        }
        await().atMost(PATIENCE).until(() -> call("ListContainerInstances", "{\"cluster\":\"" + cluster + "\"}")
                .path("body").path("containerInstanceArns").size() == 1);
    }

    private int tasksStartedBy(String cluster, String startedBy) {
        return call("ListTasks", "{\"cluster\":\"" + cluster + "\",\"startedBy\":\"" + startedBy + "\"}")
                .path("body").path("taskArns").size();
    }

    @Test
    void runsATaskAndAnswersAsTheHttpApiWould() throws Exception {
        // Given
        String cluster = unique("kafka");
        String family = unique("web");
        clusterWithInstance(cluster, family);
        String id = unique("run");

        // When
        topics.request(id, "RunTask", "{\"cluster\":\"" + cluster + "\",\"taskDefinition\":\"" + family
                + "\",\"startedBy\":\"kafka-it\"}");

        // Then: the response is keyed by the request id and carries the ECS RunTask response
        JsonNode response = awaitResponse(id);
        assertThat(response.path("requestId").asText()).isEqualTo(id);
        assertThat(response.path("operation").asText()).isEqualTo("RunTask");
        assertThat(response.path("statusCode").asInt()).isEqualTo(200);
        JsonNode task = response.path("body").path("tasks").get(0);
        assertThat(task.path("lastStatus").asText()).isEqualTo("PENDING");
        assertThat(task.path("desiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(task.path("startedBy").asText()).isEqualTo("kafka-it");
        assertThat(response.path("body").path("failures")).isEmpty();

        // And the task exists for DescribeTasks
        String taskArn = task.path("taskArn").asText();
        JsonNode described = call("DescribeTasks", "{\"cluster\":\"" + cluster + "\",\"tasks\":[\"" + taskArn + "\"]}");
        assertThat(described.path("body").path("tasks").get(0).path("taskArn").asText()).isEqualTo(taskArn);
        assertThat(described.path("body").path("failures")).isEmpty();
    }

    @Test
    void anErrorIsTheEcsError() {
        // When
        JsonNode response = call("RunTask", "{\"cluster\":\"" + unique("nowhere") + "\",\"taskDefinition\":\"x\"}");

        // Then
        assertThat(response.path("statusCode").asInt()).isEqualTo(400);
        assertThat(response.path("body").path("__type").asText()).isEqualTo("ClusterNotFoundException");
        assertThat(response.path("body").path("message").asText()).isNotBlank();

        // And: an operation ECS has and Berth refuses is answered with the HTTP API's refusal, no dead letter
        String refused = unique("exec");
        topics.request(refused, "ExecuteCommand", "{}");
        JsonNode refusal = awaitResponse(refused);
        assertThat(refusal.path("body").path("__type").asText()).isEqualTo("UnsupportedFeatureException");
        assertThat(refusal.path("body").path("message").asText()).startsWith("Berth does not support ExecuteCommand");
        assertThat(topics.deadLetters(refused)).isEmpty();
    }

    @Test
    void aRequestSentTwiceActsOnceAndBothGetTheSameResponse() throws Exception {
        // Given
        String cluster = unique("twice");
        String family = unique("web");
        clusterWithInstance(cluster, family);
        String id = unique("run");
        String body = "{\"cluster\":\"" + cluster + "\",\"taskDefinition\":\"" + family + "\",\"startedBy\":\"twice\"}";

        // When: the producer sends it twice
        topics.request(id, "RunTask", body);
        topics.request(id, "RunTask", body);

        // Then: two responses, the same bytes, one task
        List<String> responses = await().atMost(PATIENCE).until(() -> topics.rawResponses(id), r -> r.size() == 2);
        assertThat(responses.get(1)).isEqualTo(responses.get(0));
        assertThat(responses.get(0)).contains("\"statusCode\":200");
        assertThat(tasksStartedBy(cluster, "twice")).isEqualTo(1);

        // And the same id with another request is refused, and starts nothing
        topics.request(id, "RunTask", body.replace("\"twice\"", "\"other\""));
        JsonNode conflict = await().atMost(PATIENCE).until(() -> topics.responses(id), r -> r.size() == 3).get(2);
        assertThat(conflict.path("body").path("__type").asText()).isEqualTo("ConflictException");
        assertThat(tasksStartedBy(cluster, "other")).isZero();
    }

    @Test
    void requestsAreServedSideBySideAndTheRecordsOfOneIdInTheirOrder() {
        // Given: ten registrations of one family in each partition, sent at once
        int partitions = 6;
        int each = 10;
        String prefix = unique("side");
        for (int n = 0; n < each; n++) {
            for (int p = 0; p < partitions; p++) {
                topics.request(p, prefix + "-" + p + "-" + n, "RegisterTaskDefinition", "{\"family\":\"" + prefix
                        + "-" + p + "\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"busybox\","
                        + "\"memory\":64,\"environment\":[{\"name\":\"N\",\"value\":\"" + n + "\"}]}]}");
            }
        }
        // And: one request id sent to two partitions at once
        String twice = prefix + "-twice";
        String body = "{\"family\":\"" + twice + "\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":"
                + "\"busybox\",\"memory\":64}]}";
        topics.request(0, twice, "RegisterTaskDefinition", body);
        topics.request(1, twice, "RegisterTaskDefinition", body);
        // And: one request id sent twice without a key, as the id in the value, to two partitions at once
        String keyless = prefix + "-keyless";
        String keylessRecord = "{\"requestId\":\"" + keyless + "\",\"operation\":\"RegisterTaskDefinition\","
                + "\"request\":" + body.replace(twice, keyless) + "}";
        topics.sendWithoutWaiting(3, null, keylessRecord);
        topics.sendWithoutWaiting(4, null, keylessRecord);
        // And: one id with two different requests, one after the other in one partition
        String conflicting = prefix + "-conflicting";
        topics.request(2, conflicting, "RegisterTaskDefinition", body.replace(twice, conflicting));
        topics.request(2, conflicting, "RegisterTaskDefinition", body.replace(twice, conflicting + "-other"));
        topics.flush();

        // Then: every registration acted once: each family has revisions 1 to 10, one per request
        for (int p = 0; p < partitions; p++) {
            java.util.Set<Integer> revisions = new java.util.HashSet<>();
            for (int n = 0; n < each; n++) {
                JsonNode response = awaitResponse(prefix + "-" + p + "-" + n);
                JsonNode definition = response.path("body").path("taskDefinition");
                assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
                assertThat(definition.path("containerDefinitions").get(0).path("environment").get(0)
                        .path("value").asText()).isEqualTo(Integer.toString(n));
                revisions.add(definition.path("revision").asInt());
            }
            assertThat(revisions).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, each).boxed().toList());
        }
        // And: the id sent to two partitions registered one revision, and both copies got its answer
        List<String> answers = await().atMost(PATIENCE).until(() -> topics.rawResponses(twice), r -> r.size() == 2);
        assertThat(answers.get(1)).isEqualTo(answers.get(0)).contains("\"revision\":1");
        assertThat(call("ListTaskDefinitions", "{\"familyPrefix\":\"" + twice + "\"}").path("body")
                .path("taskDefinitionArns")).hasSize(1);
        // And so did the id sent twice without a key
        List<String> keylessAnswers = await().atMost(PATIENCE).until(() -> topics.rawResponses(keyless),
                r -> r.size() == 2);
        assertThat(keylessAnswers.get(1)).isEqualTo(keylessAnswers.get(0)).contains("\"revision\":1");
        assertThat(call("ListTaskDefinitions", "{\"familyPrefix\":\"" + keyless + "\"}").path("body")
                .path("taskDefinitionArns")).hasSize(1);
        // And: of one id's two requests, the first read acted and the second was refused
        List<JsonNode> conflict = await().atMost(PATIENCE).until(() -> topics.responses(conflicting),
                r -> r.size() == 2);
        assertThat(conflict.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(conflict.get(1).path("body").path("__type").asText()).isEqualTo("ConflictException");
        assertThat(call("ListTaskDefinitions", "{\"familyPrefix\":\"" + conflicting + "-other\"}").path("body")
                .path("taskDefinitionArns")).isEmpty();
    }

    @Test
    void poisonGoesToDeadLettersAndTheNextRequestIsServed() {
        // Given: records that are no requests
        String notJson = unique("bad-json");
        String unknown = unique("unknown-op");
        String wrongType = unique("wrong-type");
        String noIdMarker = unique("no-id");
        topics.send(notJson, "{this is not json");
        topics.request(unknown, "LaunchRocket", "{}");
        topics.request(wrongType, "ListClusters", "5");
        topics.send(null, "{\"operation\":\"ListClusters\",\"request\":{\"" + noIdMarker + "\":1}}");
        // one as large as the broker takes, whose refusal must not quote all of it
        String huge = unique("huge-op");
        String behindHuge = unique("behind-huge");
        topics.request(0, huge, "X".repeat(1_000_000), "{}");
        topics.request(0, behindHuge, "ListClusters", "{}");
        topics.flush();

        // When: a valid request follows them
        JsonNode served = call("ListClusters", "{}");

        // Then: it is served, and so is the one behind the large record in its partition
        assertThat(served.path("statusCode").asInt()).isEqualTo(200);
        assertThat(awaitResponse(behindHuge).path("statusCode").asInt()).isEqualTo(200);
        assertThat(awaitResponse(huge).path("body").path("__type").asText()).isEqualTo("UnknownOperationException");

        // And each poison record has a dead letter with the reason, and an error response when it has an id
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(topics.deadLetters(notJson)).singleElement()
                    .satisfies(d -> assertThat(d.path("reason").asText()).contains("not valid JSON"));
            assertThat(topics.deadLetters(unknown)).singleElement()
                    .satisfies(d -> assertThat(d.path("reason").asText()).contains("UnknownOperationException"));
            assertThat(topics.deadLetters(wrongType)).singleElement()
                    .satisfies(d -> assertThat(d.path("reason").asText()).contains("'request' must be a JSON object"));
            assertThat(topics.deadLetters(null)).anySatisfy(d -> {
                assertThat(d.path("value").asText()).contains(noIdMarker);
                assertThat(d.path("reason").asText()).contains("Missing request id");
            });
        });
        assertThat(topics.responses(notJson)).singleElement()
                .satisfies(r -> assertThat(r.path("body").path("__type").asText()).isEqualTo("SerializationException"));
        assertThat(topics.responses(unknown)).singleElement().satisfies(r -> assertThat(
                r.path("body").path("__type").asText()).isEqualTo("UnknownOperationException"));
        assertThat(topics.responses(wrongType)).singleElement()
                .satisfies(r -> assertThat(r.path("statusCode").asInt()).isEqualTo(400));
    }

    @Test
    void anIdLongerThan256CharactersIsRefusedUnderItAndOneTooLongToAnswerUnderIsDeadLettered() {
        // Given: a request with an id of 300 characters, one with an id whose response would be
        // larger than a response record carries, and a request behind them in their partition
        String tooLong = unique("long") + "-" + "x".repeat(300);
        String huge = unique("huge-id") + "-" + "x".repeat(600_000);
        String behind = unique("behind-long-ids");
        topics.request(0, tooLong, "ListClusters", "{}");
        topics.request(0, huge, "ListClusters", "{}");
        topics.request(0, behind, "ListClusters", "{}");
        topics.flush();

        // Then: the first is refused under its id as given, with a dead letter
        JsonNode refused = awaitResponse(tooLong);
        assertThat(refused.path("requestId").asText()).isEqualTo(tooLong);
        assertThat(refused.path("body").path("__type").asText()).isEqualTo("InvalidParameterException");
        assertThat(refused.path("body").path("message").asText()).contains("longer than 256 characters");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.deadLetters(tooLong)).singleElement()
                .satisfies(d -> assertThat(d.path("reason").asText()).contains("longer than 256 characters")));

        // And the request behind them is served, the huge id having its dead letter only, which says why
        assertThat(awaitResponse(behind).path("statusCode").asInt()).isEqualTo(200);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.deadLetters(huge.substring(0, 1024)))
                .singleElement().satisfies(d -> assertThat(d.path("reason").asText())
                        .contains("longer than 256 characters").contains("No response was sent")));
        assertThat(topics.responses(huge)).isEmpty();
    }

    @Test
    void aKeyThatIsNotUtf8IsDeadLetteredNotReadAsAnotherId() throws Exception {
        // Given: two requests keyed by a LongSerializer, ids 128 and 129: eight bytes each, the
        // last of which is no UTF-8 (read as text with U+FFFD, both would be the same id)
        String marker = unique("long-key");
        String behind = unique("behind-long-keys");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        try (KafkaProducer<Long, byte[]> producer = new KafkaProducer<>(props, new LongSerializer(),
                new ByteArraySerializer())) {
            for (long id : new long[] {128, 129}) {
                producer.send(new ProducerRecord<>("berth.requests", 0, id, ("{\"operation\":\"CreateCluster\","
                        + "\"request\":{\"clusterName\":\"" + marker + "-" + id + "\"}}")
                        .getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        topics.request(0, behind, "ListClusters", "{}");
        topics.flush();

        // Then: the request behind them is served
        assertThat(awaitResponse(behind).path("statusCode").asInt()).isEqualTo(200);

        // And each has a dead letter that says why, and neither acted nor was answered
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (long id : new long[] {128, 129}) {
                assertThat(topics.deadLetters(null)).filteredOn(d -> d.path("value").asText()
                        .contains(marker + "-" + id + "\"")).singleElement()
                        .satisfies(d -> assertThat(d.path("reason").asText()).contains("not valid UTF-8"));
            }
        });
        String replaced = new String(new LongSerializer().serialize("berth.requests", 128L), StandardCharsets.UTF_8);
        assertThat(topics.responses(replaced)).isEmpty();
        assertThat(call("ListClusters", "{}").path("body").path("clusterArns").toString()).doesNotContain(marker);
    }

    @Test
    void aRequestSentWithoutALeaderIsServedOnceOneLeadsAndIsRememberedAcrossTheRestart() throws Exception {
        // Given: a task run before the scheduler stops
        String cluster = unique("restart");
        String family = unique("web");
        clusterWithInstance(cluster, family);
        String before = unique("before");
        String body = "{\"cluster\":\"" + cluster + "\",\"taskDefinition\":\"" + family + "\",\"startedBy\":\"restart\"}";
        topics.request(before, "RunTask", body);
        String first = await().atMost(PATIENCE).until(() -> topics.rawResponses(before), r -> r.size() == 1).get(0);

        // When: no scheduler runs while a request is sent, and the one before is sent again
        scheduler.stop();
        String during = unique("during");
        try {
            topics.request(during, "CreateCluster", "{\"clusterName\":\"" + cluster + "-2\"}");
            topics.request(before, "RunTask", body);
        } finally {
            scheduler.start();
        }

        // Then: once a leader serves, the request sent meanwhile is answered
        await().atMost(PATIENCE).until(scheduler::isReady);
        JsonNode created = awaitResponse(during);
        assertThat(created.path("statusCode").asInt()).isEqualTo(200);
        assertThat(created.path("body").path("cluster").path("clusterName").asText()).isEqualTo(cluster + "-2");

        // And the request sent again answers as the first time, without acting again
        List<String> again = await().atMost(PATIENCE).until(() -> topics.rawResponses(before), r -> r.size() == 2);
        assertThat(again.get(1)).isEqualTo(first);
        assertThat(tasksStartedBy(cluster, "restart")).isEqualTo(1);

        // And once every request is answered, none was answered twice (the restart resumed from the committed position)
        await().atMost(PATIENCE).until(topics::allAnswered);
        assertThat(topics.rawResponses(before)).hasSize(2);
        assertThat(topics.rawResponses(during)).hasSize(1);
    }

    @Test
    void aLeaderThatReadsEveryRecordAgainAnswersNoneTwice() throws Exception {
        // Given: a record that is no request, a request sent twice, and one id used for two requests, all answered
        String bad = unique("bad-again");
        String twice = unique("twice-again");
        String conflicting = unique("conflict-again");
        topics.send(bad, "{not json");
        topics.request(twice, "ListClusters", "{}");
        topics.request(twice, "ListClusters", "{}");
        topics.request(conflicting, "ListClusters", "{}");
        topics.request(conflicting, "ListClusters", "{\"maxResults\":5}");
        await().atMost(PATIENCE).until(() -> topics.responses(bad).size() == 1 && topics.responses(twice).size() == 2
                && topics.responses(conflicting).size() == 2);

        // When: the next leader starts from positions before them all, as after a kill -9 before
        // the leader committed its position (it rides at most every few seconds)
        scheduler.stop();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers()))) {
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata>
                    start = new java.util.HashMap<>();
            for (int p = 0; p < admin.describeTopics(List.of("berth.requests")).allTopicNames().get()
                    .get("berth.requests").partitions().size(); p++) {
                start.put(new org.apache.kafka.common.TopicPartition("berth.requests", p),
                        new org.apache.kafka.clients.consumer.OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets("berth-scheduler-requests", start).all().get();
        } finally {
            scheduler.start();
        }
        await().atMost(PATIENCE).until(scheduler::isReady);

        // Then: every record read again is answered by what was answered, not once more
        String after = unique("after-replay");
        topics.request(after, "ListClusters", "{}");
        awaitResponse(after);
        await().during(Duration.ofSeconds(3)).atMost(PATIENCE).until(() -> topics.responses(bad).size() == 1
                && topics.responses(twice).size() == 2 && topics.responses(conflicting).size() == 2);
        assertThat(topics.deadLetters(bad)).hasSize(1);
    }

    @Test
    void aPartitionThatNoRequestReachesHasItsPositionCommittedToo() throws Exception {
        // Given: a partition added, to which no request is ever sent (Kafka expires a position of
        // this memberless group a retention period after its last commit: quiet ones must be committed too)
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers()))) {
            int quiet = admin.describeTopics(List.of("berth.requests")).allTopicNames().get().get("berth.requests")
                    .partitions().size();
            admin.createPartitions(java.util.Map.of("berth.requests",
                    org.apache.kafka.clients.admin.NewPartitions.increaseTo(quiet + 1))).all().get();

            // When: the leader serves it

            // Then: the group holds its position
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(admin.listConsumerGroupOffsets(
                    "berth-scheduler-requests").partitionsToOffsetAndMetadata().get())
                    .containsKey(new org.apache.kafka.common.TopicPartition("berth.requests", quiet)));
        }
    }

    @Test
    void aPartitionAddedWhileTheLeaderServesIsServedToo() throws Exception {
        // Given: an operator adds a partition to berth.requests
        int added;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", KafkaBrokerResource.bootstrapServers()))) {
            added = admin.describeTopics(List.of("berth.requests")).allTopicNames().get().get("berth.requests")
                    .partitions().size();
            admin.createPartitions(java.util.Map.of("berth.requests",
                    org.apache.kafka.clients.admin.NewPartitions.increaseTo(added + 1))).all().get();
        }

        // When: a producer sends a request to it
        String id = unique("new-partition");
        topics.request(added, id, "ListClusters", "{}");
        topics.flush();

        // Then
        assertThat(await().atMost(Duration.ofSeconds(60)).until(() -> topics.responses(id), r -> !r.isEmpty())
                .get(0).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void aRequestThatActedBeforeItsAnswerWasCommittedIsNotCarriedOutAgain() throws Exception {
        // Given: the marker of a request whose plan was committed, and whose answer was not (a leader died between)
        String id = unique("acted");
        String cluster = unique("once");
        String body = "{\"clusterName\":\"" + cluster + "\"}";
        String key = KafkaRequests.MARKER_PREFIX + id;
        ClientTokenRecord marker = new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, key, "CreateCluster",
                sha256("CreateCluster\n" + body), List.of(), List.of(), Instant.now(), null);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("berth.client-tokens", key, new RecordCodec().encode(marker))).get();
        }
        await().atMost(PATIENCE).until(() -> scheduler.state().orElseThrow().clientToken(key).isPresent());

        // When the request is read again
        topics.request(id, "CreateCluster", body);

        // Then it is answered, says it acted, and is not carried out again
        JsonNode response = awaitResponse(id);
        assertThat(response.path("statusCode").asInt()).isEqualTo(500);
        assertThat(response.path("body").path("__type").asText()).isEqualTo("ServerException");
        assertThat(response.path("body").path("message").asText()).contains("was carried out")
                .contains("not carried out again");
        JsonNode described = call("DescribeClusters", "{\"clusters\":[\"" + cluster + "\"]}");
        assertThat(described.path("body").path("clusters")).isEmpty();
        assertThat(described.path("body").path("failures").get(0).path("reason").asText()).isEqualTo("MISSING");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
