package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** UpdateClusterSettings, UpdateCluster and DeleteTaskDefinitions through the AWS SDK v2 against a real broker. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class ClusterSettingsApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    private EcsClient ecs;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(PATIENCE).until(scheduler::isReady);
        ecs = EcsClient.builder()
                .endpointOverride(endpoint.toURI())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void disconnect() {
        ecs.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ClusterSetting insights(String value) {
        return ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value(value).build();
    }

    @Test
    void containerInsightsIsStoredAndAnswered() {
        // Given
        String name = unique("insights");
        ecs.createCluster(r -> r.clusterName(name));

        // When
        var updated = ecs.updateClusterSettings(r -> r.cluster(name).settings(insights("enhanced"))).cluster();
        var viaUpdateCluster = ecs.updateCluster(r -> r.cluster(name).settings(insights("enabled"))).cluster();

        // Then
        assertThat(updated.settings()).containsExactly(insights("enhanced"));
        assertThat(viaUpdateCluster.settings()).containsExactly(insights("enabled"));
        assertThat(ecs.describeClusters(r -> r.clusters(name).include(ClusterField.SETTINGS)).clusters().get(0)
                .settings()).containsExactly(insights("enabled"));
        assertThatThrownBy(() -> ecs.updateCluster(r -> r.cluster(name)
                .configuration(c -> c.executeCommandConfiguration(e -> e.kmsKeyId("k")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'configuration'");
        assertThatThrownBy(() -> ecs.updateClusterSettings(r -> r.cluster(name).settings(insights("maybe"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'settings[0].value'");
    }

    @Test
    void deletesOnlyInactiveRevisions() {
        // Given
        String family = unique("gone");
        ContainerDefinition web = ContainerDefinition.builder().name("web").image("busybox").memory(64).build();
        ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(web));
        ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(web));
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(family + ":1"));

        // When
        DeleteTaskDefinitionsResponse deleted = ecs.deleteTaskDefinitions(r -> r.taskDefinitions(family + ":1",
                family + ":2"));

        // Then
        assertThat(deleted.taskDefinitions()).singleElement().satisfies(d -> {
            assertThat(d.revision()).isEqualTo(1);
            assertThat(d.status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        });
        assertThat(deleted.failures()).singleElement().satisfies(f -> assertThat(f.reason()).contains("ACTIVE"));
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(family + ":1")).taskDefinition().status())
                .isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        assertThat(ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(web)).taskDefinition()
                .revision()).isEqualTo(3);
    }
}
