package dev.berth.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.berth.protocol.KafkaSettings;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;

/**
 * The management endpoints of a process that plays the scheduler role only, against a real
 * broker: the scheduler's checks are there and the agent's are not, and the metrics move
 * with what the scheduler does. Same configuration as {@link SchedulerApiIT}, so Quarkus is
 * not restarted between the two.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class HealthAndMetricsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    // Management URLs are relative to the management root path (/q).
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource("/")
    URL api;

    @Inject
    SchedulerRole scheduler;

    @Inject
    KafkaSettings kafkaSettings;

    @Test
    void readinessIsUpOnceTheStateIsRebuiltWithTheSchedulerAndKafkaChecksOnly() {
        // When
        await().atMost(PATIENCE).untilAsserted(() -> given().get(ready).then().statusCode(200));

        // Then
        JsonPath health = given().get(ready).then().extract().jsonPath();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class)).containsExactlyInAnyOrder("scheduler", "kafka");
        assertThat(health.getString("checks.find { it.name == 'scheduler' }.data.state"))
                .isEqualTo("rebuilt from Kafka");
        assertThat(health.getString("checks.find { it.name == 'kafka' }.data.clusterId")).isNotBlank();
        assertThat(scheduler.isReady()).isTrue();
    }

    @Test
    void livenessIsUpWhileTheStateReaderTurns() {
        // Given
        await().atMost(PATIENCE).until(scheduler::isReady);

        // When / Then
        await().atMost(PATIENCE).untilAsserted(() -> given().get(live).then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("scheduler-loops"))
                .body("checks.name", not(hasItem("agent-loops")))
                .body("checks.find { it.name == 'scheduler-loops' }.data.state-reader",
                        org.hamcrest.Matchers.startsWith("ticking")));
    }

    @Test
    void countsTasksFailedPlacementsAndConsumerLag() throws Exception {
        // Given
        await().atMost(PATIENCE).until(scheduler::isReady);
        String cluster = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        String instanceId = "i-" + UUID.randomUUID().toString().substring(0, 8);
        double failedBefore = sample(scrape(), "berth_placements_total{reason=\"RESOURCE:MEMORY\",result=\"failed\"}");
        try (EcsClient ecs = ecs(); FakeAgentKafka agent = new FakeAgentKafka(kafkaSettings.bootstrapServers())) {
            ecs.createCluster(r -> r.clusterName(cluster));
            agent.register(instanceId, cluster, 2048, 512);
            await().atMost(PATIENCE).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                    .containerInstanceArns().isEmpty());
            String family = "huge-" + UUID.randomUUID().toString().substring(0, 8);
            ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition.builder()
                    .name("web").image("busybox").cpu(128).memory(4096).build()));

            // When
            RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family));
            assertThat(run.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY"));
        }

        // Then
        String text = scrape();
        assertThat(sample(text, "berth_placements_total{reason=\"RESOURCE:MEMORY\",result=\"failed\"}"))
                .isEqualTo(failedBefore + 1);
        assertThat(text).contains("berth_placements_total{reason=\"none\",result=\"placed\"}");
        assertThat(text).contains("berth_tasks{role=\"scheduler\",status=\"RUNNING\"}");
        assertThat(text).doesNotContain("role=\"agent\"");
        assertThat(text).contains("berth_reconcile_seconds_count{loop=\"scheduler-plan\"}")
                .contains("berth_reconcile_seconds_count{loop=\"scheduler-reconcile\"}");
        assertThat(text).contains("berth_request_answers_apart_total{cause=\"hold-expired\"}")
                .contains("berth_request_answers_apart_total{cause=\"request-waited\"}");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                sample(scrape(), "berth_consumer_lag_records{reader=\"berth-scheduler-state\",topic=\"berth.instances\"}"))
                .isZero());
    }

    @Test
    void countsInstancesThatTwoAgentsReportAs() throws Exception {
        // Given
        await().atMost(PATIENCE).until(scheduler::isReady);
        String instanceId = "i-" + UUID.randomUUID().toString().substring(0, 8);
        double before = sample(scrape(), "berth_container_instances_shared");
        try (FakeAgentKafka agent = new FakeAgentKafka(kafkaSettings.bootstrapServers())) {
            agent.registerAs(instanceId, "default", 5, "session-a");
            agent.registerAs(instanceId, "default", 5, "session-a");

            // When: a copy of that agent, started from the same last version, registers under it
            agent.registerAs(instanceId, "default", 5, "session-b");
        }

        // Then: the heartbeat is no second agent; the copy is
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(sample(scrape(), "berth_container_instances_shared"))
                .isEqualTo(before + 1));
    }

    private String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The value of one Prometheus sample, named with its labels in the registry's order. */
    private static double sample(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("%s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private EcsClient ecs() throws Exception {
        return EcsClient.builder()
                .endpointOverride(api.toURI())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
