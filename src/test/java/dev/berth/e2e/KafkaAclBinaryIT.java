package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.kafka.RequestTopics;
import dev.berth.testing.DockerCli;
import dev.berth.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * berth.requests on a shared, secured Kafka, as the README's "Restrict it with ACLs" section
 * sets it up: a broker that takes SASL/PLAIN only and allows nothing without an ACL, the
 * packaged scheduler as {@code User:berth} and a packaged agent (real Docker) as
 * {@code User:agent}, each with exactly the ACLs that the README lists for it, and a pipeline as
 * {@code User:pipeline}, which may only write requests, read responses and, once it has Read on
 * berth.events, read the events of what it did, in a consumer group of its own. The pipeline
 * drives Berth; it cannot write Berth's own topics or read them; the agents' principal cannot
 * place tasks, change clusters or send requests; a user with no ACL cannot send a request at all.
 */
class KafkaAclBinaryIT {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String BERTH_PASSWORD = "berth-secret";
    private static final String AGENT_PASSWORD = "agent-secret";
    private static final String PIPELINE_PASSWORD = "pipeline-secret";
    private static final String INTRUDER_PASSWORD = "intruder-secret";
    private static final String PIPELINE_GROUP = "pipeline";
    /**
     * What the agent logs while none of Berth's topics exist and its ACLs do not let it create
     * them (while the scheduler creates them, it may name fewer).
     */
    private static final String TOPICS_REFUSED = "refuses Berth's topics: topics berth.clusters, berth.dead-letters,"
            + " berth.instance-control, berth.instances, berth.task-events, berth.tasks do not exist or cannot be described by this"
            + " principal, and it may not create them";

    @Test
    void aPipelineWithItsAclsDrivesBerthWatchesItsEventsAndNothingElse() throws Exception {
        try (TestKafka kafka = TestKafka.startSecured(Map.of("berth", BERTH_PASSWORD, "agent", AGENT_PASSWORD,
                "pipeline", PIPELINE_PASSWORD, "intruder", INTRUDER_PASSWORD))) {
            // Given: the ACLs of the README, and an agent as User:agent started before any scheduler has
            // made Berth's topics, which it may not create: it says which, and waits for them
            try (Admin admin = kafka.admin()) {
                admin.createAcls(readmeAcls()).all().get();
            }
            BerthProcess agent = BerthProcess.start("kafka-acl-agent", securedRole("agent", kafka, "agent",
                    AGENT_PASSWORD, Map.of("ECS_CLUSTER", "acl", "QUARKUS_HTTP_HOST_ENABLED", "false")), List.of());
            BerthProcess scheduler = null;
            try {
                await("the agent names the topics it may not create (log " + agent.log() + ")").atMost(PATIENCE)
                        .until(() -> Files.readString(agent.log()).contains(TOPICS_REFUSED));
                // and the scheduler as User:berth, which creates them
                scheduler = BerthProcess.start("kafka-acl-scheduler", securedRole("scheduler", kafka, "berth",
                        BERTH_PASSWORD, Map.of()), List.of());
                awaitReady(scheduler);

                // When: the pipeline sends requests as User:pipeline
                try (RequestTopics pipeline = new RequestTopics(kafka.clientProperties("pipeline", PIPELINE_PASSWORD),
                        false)) {
                    JsonNode created = call(pipeline, "acl-cluster", "CreateCluster", "{\"clusterName\":\"acl\"}");
                    JsonNode registered = call(pipeline, "acl-td", "RegisterTaskDefinition", "{\"family\":\"acl\","
                            + "\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"berth-test/busybox:latest\","
                            + "\"memory\":32,\"command\":[\"sh\",\"-c\",\"trap 'exit 0' TERM; while true; do sleep 1;"
                            + " done\"]}]}");
                    JsonNode listed = call(pipeline, "acl-list", "ListClusters", "{}");

                    // Then: Berth acted on them and answered each
                    assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(200);
                    assertThat(created.path("body").path("cluster").path("status").asText()).isEqualTo("ACTIVE");
                    assertThat(registered.path("body").path("taskDefinition").path("revision").asInt()).isEqualTo(1);
                    assertThat(listed.path("body").path("clusterArns").toString()).contains("cluster/acl");

                    // When: the agent, with only its own ACLs, registers its host in the cluster,
                    // and the pipeline runs a task there and, once it runs, stops it
                    BerthProcess api = scheduler;
                    await("the agent registered as User:agent (log " + agent.log() + ")").atMost(PATIENCE)
                            .pollInterval(Duration.ofMillis(500)).until(() -> {
                                assertThat(agent.isAlive()).as("the agent process, log " + agent.log()).isTrue();
                                return !api.ecs().listContainerInstances(b -> b.cluster("acl"))
                                        .containerInstanceArns().isEmpty();
                            });
                    JsonNode run = call(pipeline, "acl-run", "RunTask", "{\"cluster\":\"acl\",\"taskDefinition\":\"acl\"}");
                    String taskArn = run.path("body").path("tasks").path(0).path("taskArn").asText();
                    assertThat(taskArn).as(run.toString()).contains(":task/acl/");
                    await("the task RUNNING, reported by the agent").atMost(PATIENCE).until(() -> api.ecs()
                            .describeTasks(b -> b.cluster("acl").tasks(taskArn)).tasks().get(0).lastStatus(),
                            "RUNNING"::equals);
                    call(pipeline, "acl-stop", "StopTask", "{\"cluster\":\"acl\",\"task\":\"" + taskArn + "\"}");

                    // Then: without Read on berth.events, the pipeline cannot read them, even in its own group
                    assertThatThrownBy(() -> readEvents(kafka.clientProperties("pipeline", PIPELINE_PASSWORD),
                            taskArn)).isInstanceOf(TopicAuthorizationException.class);

                    // When: it gets Read on berth.events, as the README says
                    try (Admin admin = kafka.admin()) {
                        admin.createAcls(List.of(eventsAcl())).all().get();
                    }

                    // Then: it reads the task's events in its consumer group, from placed to stopped, and commits there
                    List<JsonNode> events = readEvents(kafka.clientProperties("pipeline", PIPELINE_PASSWORD), taskArn);
                    assertThat(events).allSatisfy(e -> assertThat(e.path("detail-type").asText())
                            .isEqualTo("ECS Task State Change"));
                    assertThat(events).extracting(e -> e.path("detail").path("lastStatus").asText())
                            .contains("RUNNING").last().isEqualTo("STOPPED");
                    assertThat(events.get(events.size() - 1).path("detail").path("containers").path(0)
                            .path("exitCode").asInt(-1)).isZero();
                }
                // The HTTP API sees what the requests did: one state behind both
                assertThat(scheduler.ecs().describeClusters(b -> b.clusters("acl")).clusters())
                        .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("ACTIVE"));

                // And: the pipeline cannot write or read Berth's own topics
                assertThatThrownBy(() -> send(kafka.clientProperties("pipeline", PIPELINE_PASSWORD), "berth.tasks"))
                        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> readOne(kafka.clientProperties("pipeline", PIPELINE_PASSWORD), "berth.tasks"))
                        .isInstanceOf(TopicAuthorizationException.class);
                // And: an agent's principal can neither place tasks, nor change clusters, nor send requests
                for (String topic : List.of("berth.tasks", "berth.clusters", "berth.requests")) {
                    assertThatThrownBy(() -> send(kafka.clientProperties("agent", AGENT_PASSWORD), topic))
                            .as(topic).hasRootCauseInstanceOf(TopicAuthorizationException.class);
                }
                // And: a user without an ACL cannot send a request
                assertThatThrownBy(() -> send(kafka.clientProperties("intruder", INTRUDER_PASSWORD), "berth.requests"))
                        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
                assertThat(scheduler.isAlive()).isTrue();
                assertThat(agent.isAlive()).isTrue();
                agent.close();
                assertThat(Files.readString(agent.log()).lines().filter(line -> line.contains(" ERROR [")))
                        .as("the agent's errors: only while the topics did not exist").isNotEmpty()
                        .allSatisfy(line -> assertThat(line).contains("refuses Berth's topics: topics berth.")
                                .contains("do not exist or cannot be described by this principal, and it may not"
                                        + " create them (Describe, Create)"));
            } finally {
                agent.close();
                DockerCli.removeContainersOfInstance(agent.instanceId());
                if (scheduler != null) {
                    scheduler.close();
                }
            }
        }
    }

    /** A role's environment on the secured Kafka, as the README's SASL settings give it, as {@code user}. */
    private static Map<String, String> securedRole(String role, TestKafka kafka, String user, String password,
            Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.putAll(Map.of("BERTH_ROLES", role,
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "BERTH_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "BERTH_KAFKA_SASL_MECHANISM", "PLAIN",
                "BERTH_KAFKA_SASL_JAAS_CONFIG", TestKafka.plainLogin(user, password)));
        return env;
    }

    /**
     * The README's ACLs, one for one, but Read on berth.events ({@link #eventsAcl}): the
     * scheduler's principal may create, read and write the topics whose names start with
     * {@code berth.}, use the consumer groups and the transactional id that start with
     * {@code berth-scheduler}; the agents' principal may describe the six topics an agent uses,
     * read five of them and write its reports, registrations and dead letters; the pipeline may
     * write berth.requests, read berth.responses, and use its consumer group {@code pipeline}.
     */
    private static List<AclBinding> readmeAcls() {
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS, AclOperation.READ, AclOperation.WRITE)) {
            acls.add(allow("User:berth", ResourceType.TOPIC, "berth.", PatternType.PREFIXED, operation));
        }
        acls.add(allow("User:berth", ResourceType.GROUP, "berth-scheduler", PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow("User:berth", ResourceType.TRANSACTIONAL_ID, "berth-scheduler", PatternType.PREFIXED,
                AclOperation.WRITE));
        for (String topic : List.of("berth.tasks", "berth.clusters", "berth.task-events", "berth.instances",
                "berth.instance-control", "berth.dead-letters")) {
            acls.add(allow("User:agent", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            acls.add(allow("User:agent", ResourceType.TOPIC, topic, PatternType.LITERAL,
                    AclOperation.DESCRIBE_CONFIGS));
        }
        for (String topic : List.of("berth.tasks", "berth.clusters", "berth.task-events", "berth.instances",
                "berth.instance-control")) {
            acls.add(allow("User:agent", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        for (String topic : List.of("berth.task-events", "berth.instances", "berth.dead-letters")) {
            acls.add(allow("User:agent", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        acls.add(allow("User:pipeline", ResourceType.TOPIC, "berth.requests", PatternType.LITERAL,
                AclOperation.WRITE));
        acls.add(allow("User:pipeline", ResourceType.TOPIC, "berth.responses", PatternType.LITERAL,
                AclOperation.READ));
        acls.add(allow("User:pipeline", ResourceType.GROUP, PIPELINE_GROUP, PatternType.LITERAL, AclOperation.READ));
        return acls;
    }

    /** The README's ACL for a program that watches berth.events. */
    private static AclBinding eventsAcl() {
        return allow("User:pipeline", ResourceType.TOPIC, "berth.events", PatternType.LITERAL, AclOperation.READ);
    }

    /**
     * The events of one task, read in the pipeline's consumer group from the beginning with
     * {@code read_committed}, up to the one that reports it STOPPED; the positions are
     * committed in the group.
     */
    private static List<JsonNode> readEvents(Map<String, Object> client, String taskArn) throws Exception {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, PIPELINE_GROUP);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("berth.events"));
            long until = System.nanoTime() + PATIENCE.toNanos();
            boolean stopped = false;
            while (System.nanoTime() < until && !stopped) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (taskArn.equals(record.key())) {
                        JsonNode event = mapper.readTree(record.value());
                        events.add(event);
                        stopped = "STOPPED".equals(event.path("detail").path("lastStatus").asText());
                    }
                }
            }
            consumer.commitSync();
        }
        return events;
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static JsonNode call(RequestTopics topics, String id, String operation, String body) {
        topics.request(id, operation, body);
        return await(operation + "'s response").atMost(PATIENCE).until(() -> topics.responses(id), r -> !r.isEmpty())
                .get(0);
    }

    private static void send(Map<String, Object> client, String topic) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "{}".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void readOne(Map<String, Object> client, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(500));
            }
        }
    }

    private static void awaitReady(BerthProcess scheduler) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scheduler.managementPort()
                + "/q/health/ready")).build();
        await("the scheduler ready on the secured Kafka (log " + scheduler.log() + ")").atMost(PATIENCE)
                .failFast("the scheduler exited", scheduler::assertRunning).pollInterval(Duration.ofMillis(250)).until(() -> {
                    try {
                        return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
    }
}
