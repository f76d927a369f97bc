package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.testing.AwsCli;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterContainsServicesException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * The real AWS CLI against a real broker for tags, DeleteCluster and DeleteTaskDefinitions (its
 * JSON output checked), and DeleteCluster through the AWS SDK v2.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class EcsCliIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    private AwsCli cli;

    @BeforeEach
    void connect() {
        await().atMost(PATIENCE).until(scheduler::isReady);
        cli = AwsCli.at(endpoint, "AKIDCLITEST");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.path(field).asText()));
        return values;
    }

    @Test
    void theCliTagsListsAndUntagsAClusterAndATaskDefinition() {
        // Given
        String name = unique("cli-tags");
        JsonNode created = cli.ok("ecs", "create-cluster", "--cluster-name", name, "--tags", "key=team,value=web");
        String clusterArn = created.path("cluster").path("clusterArn").asText();
        JsonNode registered = cli.ok("ecs", "register-task-definition", "--family", name, "--container-definitions",
                "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":64}]", "--tags", "key=tier,value=front");
        String definitionArn = registered.path("taskDefinition").path("taskDefinitionArn").asText();

        // When
        cli.ok("ecs", "tag-resource", "--resource-arn", clusterArn, "--tags", "key=env,value=prod",
                "key=team,value=api");
        cli.ok("ecs", "untag-resource", "--resource-arn", clusterArn, "--tag-keys", "env");
        cli.ok("ecs", "tag-resource", "--resource-arn", definitionArn, "--tags", "key=owner,value=ops");
        AwsCli.Run reserved = cli.run("ecs", "tag-resource", "--resource-arn", clusterArn, "--tags",
                "key=aws:owner,value=x");

        // Then
        assertThat(created.path("cluster").path("tags").get(0).path("key").asText()).isEqualTo("team");
        JsonNode clusterTags = cli.ok("ecs", "list-tags-for-resource", "--resource-arn", clusterArn).path("tags");
        assertThat(texts(clusterTags, "key")).containsExactly("team");
        assertThat(texts(clusterTags, "value")).containsExactly("api");
        JsonNode described = cli.ok("ecs", "describe-clusters", "--clusters", name, "--include", "TAGS");
        assertThat(texts(described.path("clusters").get(0).path("tags"), "value")).containsExactly("api");
        JsonNode definitionTags = cli.ok("ecs", "describe-task-definition", "--task-definition", name, "--include",
                "TAGS").path("tags");
        assertThat(texts(definitionTags, "key")).containsExactly("tier", "owner");
        assertThat(reserved.exitCode()).isNotZero();
        assertThat(reserved.stderr()).contains("InvalidParameterException").contains("aws:");
    }

    @Test
    void theCliDeletesAClusterAndTheSdkIsRefusedWhileAServiceIsActive() throws Exception {
        // Given
        String empty = unique("cli-gone");
        String busy = unique("sdk-busy");
        cli.ok("ecs", "create-cluster", "--cluster-name", empty);

        // When
        JsonNode deleted = cli.ok("ecs", "delete-cluster", "--cluster", empty);
        AwsCli.Run again = cli.run("ecs", "delete-cluster", "--cluster", empty);

        // Then
        assertThat(deleted.path("cluster").path("status").asText()).isEqualTo("INACTIVE");
        assertThat(deleted.path("cluster").path("clusterName").asText()).isEqualTo(empty);
        assertThat(cli.ok("ecs", "list-clusters").path("clusterArns").toString()).doesNotContain("/" + empty + "\"");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("ClusterNotFoundException");

        try (EcsClient ecs = EcsClient.builder().endpointOverride(endpoint.toURI()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            // Given a cluster with an active service (no instance: its task waits for one)
            ecs.createCluster(r -> r.clusterName(busy));
            ecs.registerTaskDefinition(r -> r.family(busy).containerDefinitions(ContainerDefinition.builder()
                    .name("web").image("busybox").memory(64).build()));
            ecs.createService(r -> r.cluster(busy).serviceName("web").taskDefinition(busy).desiredCount(1));

            // When / Then
            assertThatThrownBy(() -> ecs.deleteCluster(r -> r.cluster(busy)))
                    .isInstanceOf(ClusterContainsServicesException.class);
            ecs.deleteService(r -> r.cluster(busy).service("web").force(true));
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                    assertThat(ecs.deleteCluster(r -> r.cluster(busy)).cluster().status()).isEqualTo("INACTIVE"));
        }
    }

    @Test
    void theCliDeletesOnlyInactiveTaskDefinitionRevisions() {
        // Given
        String family = unique("cli-defs");
        String containers = "[{\"name\":\"web\",\"image\":\"busybox\",\"memory\":64}]";
        cli.ok("ecs", "register-task-definition", "--family", family, "--container-definitions", containers);
        cli.ok("ecs", "register-task-definition", "--family", family, "--container-definitions", containers);
        cli.ok("ecs", "deregister-task-definition", "--task-definition", family + ":1");

        // When
        JsonNode deleted = cli.ok("ecs", "delete-task-definitions", "--task-definitions", family + ":1",
                family + ":2");

        // Then
        assertThat(deleted.path("taskDefinitions")).hasSize(1);
        assertThat(deleted.path("taskDefinitions").get(0).path("status").asText()).isEqualTo("DELETE_IN_PROGRESS");
        assertThat(deleted.path("taskDefinitions").get(0).path("revision").asInt()).isEqualTo(1);
        assertThat(deleted.path("failures")).hasSize(1);
        assertThat(deleted.path("failures").get(0).path("arn").asText()).endsWith(family + ":2");
        assertThat(cli.ok("ecs", "describe-task-definition", "--task-definition", family + ":1")
                .path("taskDefinition").path("status").asText()).isEqualTo("DELETE_IN_PROGRESS");
    }
}
