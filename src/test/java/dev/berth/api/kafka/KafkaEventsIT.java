package dev.berth.api.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.testing.DockerCli;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth.events against a real broker, with the scheduler and a real agent in this process
 * running real containers on the host's Docker engine: everything is driven through
 * berth.requests and watched on berth.events with plain Kafka clients, as an outside program
 * would. Every event must also match its published JSON Schema.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = {
        @ResourceArg(name = "roles", value = "scheduler,agent"),
        @ResourceArg(name = "isolated", value = "kafka-events")})
class KafkaEventsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String IMAGE = "berth-test/busybox:latest";
    private static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    @Inject
    SchedulerRole scheduler;

    private RequestTopics topics;
    private EventTopic events;
    private final List<String> taskArns = new ArrayList<>();
    /** Task definitions registered by a test, whose containers it removes: a service's may start after its tasks were listed. */
    private final List<String> families = new ArrayList<>();

    @BeforeEach
    void connect() {
        await().atMost(PATIENCE).until(scheduler::isReady);
        topics = new RequestTopics(KafkaBrokerResource.bootstrapServers());
        events = new EventTopic(KafkaBrokerResource.bootstrapServers());
        await("the agent registers").atMost(PATIENCE).untilAsserted(() -> assertThat(call("ListContainerInstances",
                "{}").path("containerInstanceArns")).hasSize(1));
    }

    @AfterEach
    void disconnect() {
        for (String arn : taskArns) {
            for (String id : DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-arn=" + arn)) {
                DockerCli.run("rm", "-f", id);
            }
        }
        for (String family : families) {
            for (String id : DockerCli.words("ps", "-aq", "--filter", "label=dev.berth.task-definition=" + family + ":1")) {
                DockerCli.run("rm", "-f", id);
            }
        }
        topics.close();
        events.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode call(String operation, String body) {
        String id = unique("req");
        topics.request(id, operation, body);
        JsonNode response = await().atMost(PATIENCE).until(() -> topics.responses(id), r -> !r.isEmpty()).get(0);
        assertThat(response.path("statusCode").asInt()).as(operation + ": " + response).isEqualTo(200);
        return response.path("body");
    }

    private String family() {
        String family = unique("events");
        families.add(family);
        call("RegisterTaskDefinition", "{\"family\":\"" + family + "\",\"containerDefinitions\":[{\"name\":\"web\","
                + "\"image\":\"" + IMAGE + "\",\"memory\":32,\"cpu\":16,\"command\":[\"sh\",\"-c\",\"" + LOOP + "\"]}]}");
        return family;
    }

    @Test
    void aTaskReportsEachStateChangeInEventBridgesEnvelopeAndInOrder() {
        // Given
        String family = family();

        // When: a task runs on the real agent, and is stopped
        String taskArn = call("RunTask", "{\"taskDefinition\":\"" + family + "\",\"startedBy\":\"events-it\"}")
                .path("tasks").get(0).path("taskArn").asText();
        taskArns.add(taskArn);
        await("a RUNNING event").atMost(PATIENCE).until(() -> events.of(taskArn).stream()
                .anyMatch(e -> e.detail().path("lastStatus").asText().equals("RUNNING")));
        call("StopTask", "{\"task\":\"" + taskArn + "\",\"reason\":\"events-it is done\"}");
        List<EventTopic.Received> seen = await("a STOPPED event").atMost(PATIENCE).until(() -> events.of(taskArn),
                list -> list.stream().anyMatch(e -> e.detail().path("lastStatus").asText().equals("STOPPED")));

        // Then: each is an ECS Task State Change in EventBridge's envelope, keyed by the task's ARN
        String instanceArn = seen.get(0).detail().path("containerInstanceArn").asText();
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.detailType()).isEqualTo("ECS Task State Change");
            assertThat(e.value().path("version").asText()).isEqualTo("0");
            assertThat(e.value().path("source").asText()).isEqualTo("aws.ecs");
            assertThat(e.value().path("account").asText()).isEqualTo("000000000000");
            assertThat(e.value().path("region").asText()).isEqualTo("us-east-1");
            assertThat(e.value().path("id").asText()).hasSize(36);
            assertThat(Instant.parse(e.value().path("time").asText())).isNotNull();
            assertThat(e.value().path("resources")).hasSize(1);
            assertThat(e.value().path("resources").get(0).asText()).isEqualTo(taskArn);
            JsonNode detail = e.detail();
            assertThat(detail.path("taskArn").asText()).isEqualTo(taskArn);
            assertThat(detail.path("clusterArn").asText()).endsWith(":cluster/default");
            assertThat(detail.path("containerInstanceArn").asText()).isEqualTo(instanceArn);
            assertThat(detail.path("taskDefinitionArn").asText()).contains(":task-definition/" + family + ":1");
            assertThat(detail.path("launchType").asText()).isEqualTo("EC2");
            assertThat(detail.path("startedBy").asText()).isEqualTo("events-it");
            assertThat(Instant.parse(detail.path("createdAt").asText())).isNotNull();
            assertThat(Instant.parse(detail.path("updatedAt").asText())).isNotNull();
            assertThat(detail.path("containers")).hasSize(1);
            assertThat(detail.path("containers").get(0).path("name").asText()).isEqualTo("web");
            assertThat(detail.path("containers").get(0).path("taskArn").asText()).isEqualTo(taskArn);
            assertThat(detail.path("version").isIntegralNumber()).isTrue();
        });
        // And they come in the order of the task's versions, one event per version, with no gap
        List<Long> versions = seen.stream().map(e -> e.detail().path("version").asLong()).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(versions.get(versions.size() - 1) - versions.get(0)).isEqualTo(versions.size() - 1);
        assertThat(seen).extracting(EventTopic.Received::partition).containsOnly(seen.get(0).partition());
        // And the statuses follow ECS's lifecycle: PENDING, RUNNING, then STOPPED once desired STOPPED
        List<String> statuses = seen.stream().map(e -> e.detail().path("lastStatus").asText()).toList();
        assertThat(statuses.get(0)).isEqualTo("PENDING");
        assertThat(statuses).containsSubsequence("PENDING", "RUNNING", "STOPPED");
        assertThat(statuses.subList(statuses.indexOf("RUNNING"), statuses.size())).doesNotContain("PENDING");
        EventTopic.Received stopped = seen.get(statuses.indexOf("STOPPED"));
        assertThat(stopped.detail().path("desiredStatus").asText()).isEqualTo("STOPPED");
        assertThat(stopped.detail().path("stoppedReason").asText()).isEqualTo("events-it is done");
        assertThat(stopped.detail().path("stopCode").asText()).isEqualTo("UserInitiated");
        assertThat(stopped.detail().path("containers").get(0).path("exitCode").asInt()).isZero();
        // And DescribeTasks shows the version of the last event
        JsonNode described = call("DescribeTasks", "{\"tasks\":[\"" + taskArn + "\"]}").path("tasks").get(0);
        assertThat(described.path("version").asLong()).isEqualTo(versions.get(versions.size() - 1));
        // And every event matches its schema
        assertThat(seen).allSatisfy(e -> PublicSchemas.assertMatches("event", e.raw()));
    }

    @Test
    void theAgentsInstanceReportsItsStateInTheContainerInstanceShape() {
        // When
        String instanceArn = call("ListContainerInstances", "{}").path("containerInstanceArns").get(0).asText();
        List<EventTopic.Received> seen = await("an instance event").atMost(PATIENCE)
                .until(() -> events.of(instanceArn), list -> !list.isEmpty());

        // Then
        EventTopic.Received first = seen.get(0);
        assertThat(first.detailType()).isEqualTo("ECS Container Instance State Change");
        assertThat(first.value().path("resources").get(0).asText()).isEqualTo(instanceArn);
        JsonNode detail = first.detail();
        assertThat(detail.path("containerInstanceArn").asText()).isEqualTo(instanceArn);
        assertThat(detail.path("clusterArn").asText()).endsWith(":cluster/default");
        assertThat(detail.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(detail.path("agentConnected").asBoolean()).isTrue();
        assertThat(detail.path("registeredResources")).extracting(r -> r.path("name").asText())
                .contains("CPU", "MEMORY", "PORTS");
        assertThat(detail.path("versionInfo").path("agentVersion").asText()).isNotEmpty();
        List<Long> versions = seen.stream().map(e -> e.detail().path("version").asLong()).toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(seen).allSatisfy(e -> PublicSchemas.assertMatches("event", e.raw()));

        // When: the instance is drained, and made active again
        call("UpdateContainerInstancesState", "{\"containerInstances\":[\"" + instanceArn + "\"],\"status\":\"DRAINING\"}");
        call("UpdateContainerInstancesState", "{\"containerInstances\":[\"" + instanceArn + "\"],\"status\":\"ACTIVE\"}");

        // Then: both changes are events, in order
        List<String> statuses = await("DRAINING then ACTIVE").atMost(PATIENCE).until(() -> events.of(instanceArn)
                .stream().map(e -> e.detail().path("status").asText()).toList(),
                s -> s.lastIndexOf("DRAINING") >= 0 && s.lastIndexOf("ACTIVE") > s.lastIndexOf("DRAINING"));
        assertThat(statuses).containsSubsequence("ACTIVE", "DRAINING", "ACTIVE");
    }

    @Test
    void aServiceReportsItsDeploymentAndItsSteadyState() {
        // Given
        String family = family();
        String service = unique("svc");

        // When
        String serviceArn = call("CreateService", "{\"serviceName\":\"" + service + "\",\"taskDefinition\":\"" + family
                + "\",\"desiredCount\":1}").path("service").path("serviceArn").asText();
        List<EventTopic.Received> seen = await("the deployment completes and the service is steady").atMost(PATIENCE)
                .until(() -> events.of(serviceArn), list -> list.stream().anyMatch(e ->
                        e.detail().path("eventName").asText().equals("SERVICE_STEADY_STATE"))
                        && list.stream().anyMatch(e -> e.detail().path("eventName").asText()
                                .equals("SERVICE_DEPLOYMENT_COMPLETED")));
        call("DeleteService", "{\"service\":\"" + service + "\",\"force\":true}");
        for (JsonNode task : call("ListTasks", "{\"serviceName\":\"" + service + "\"}").path("taskArns")) {
            taskArns.add(task.asText());
        }

        // Then
        List<String> names = seen.stream().map(e -> e.detailType() + "/" + e.detail().path("eventName").asText())
                .toList();
        assertThat(names).containsSubsequence("ECS Deployment State Change/SERVICE_DEPLOYMENT_IN_PROGRESS",
                "ECS Deployment State Change/SERVICE_DEPLOYMENT_COMPLETED");
        assertThat(names).contains("ECS Service Action/SERVICE_STEADY_STATE");
        EventTopic.Received deployment = seen.stream().filter(e -> e.detailType().equals("ECS Deployment State Change"))
                .findFirst().orElseThrow();
        assertThat(deployment.detail().path("eventType").asText()).isEqualTo("INFO");
        assertThat(deployment.detail().path("deploymentId").asText()).startsWith("ecs-svc/");
        assertThat(Instant.parse(deployment.detail().path("updatedAt").asText())).isNotNull();
        EventTopic.Received steady = seen.stream().filter(e -> e.detailType().equals("ECS Service Action"))
                .findFirst().orElseThrow();
        assertThat(steady.detail().path("clusterArn").asText()).endsWith(":cluster/default");
        assertThat(steady.value().path("resources").get(0).asText()).isEqualTo(serviceArn);
        assertThat(seen).allSatisfy(e -> PublicSchemas.assertMatches("event", e.raw()));
    }

    @Test
    void theApiServesTheSchemasAsTheRepositoryKeepsThem() throws Exception {
        // When
        String listed = given().get("/schemas").then().statusCode(200).extract().asString();
        String served = given().get("/schemas/event.schema.json").then().statusCode(200)
                .contentType("application/schema+json").extract().asString();

        // Then
        assertThat(listed).contains("/schemas/request.schema.json", "/schemas/response.schema.json",
                "/schemas/event.schema.json");
        try (InputStream kept = getClass().getResourceAsStream("/schemas/event.schema.json")) {
            assertThat(served).isEqualTo(new String(kept.readAllBytes(), StandardCharsets.UTF_8));
        }
        given().get("/schemas/nothing.json").then().statusCode(404);
    }
}
