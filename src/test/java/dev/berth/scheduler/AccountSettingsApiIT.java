package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.testing.AwsCli;
import dev.berth.testing.KafkaBrokerResource;
import dev.berth.testing.TopicRecords;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Setting;
import software.amazon.awssdk.services.ecs.model.SettingName;
import software.amazon.awssdk.services.ecs.model.SettingType;

/**
 * Account settings through the AWS SDK v2 and the AWS CLI against a real broker: kept per
 * caller (its access key), falling back to the account default, refused as ECS refuses, and
 * on berth.account-settings. Each test signs with its own access key, so tests sharing the
 * application do not see each other's settings.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class AccountSettingsApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ACCOUNT = "arn:aws:iam::000000000000:";

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    @Inject
    KafkaSettings kafkaSettings;

    private static String uniqueKey() {
        return "AKID" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    }

    private EcsClient client(String accessKeyId) throws Exception {
        await().atMost(PATIENCE).until(scheduler::isReady);
        return EcsClient.builder()
                .endpointOverride(endpoint.toURI())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void theSdkKeepsASettingPerCallerAndNewClustersTakeContainerInsightsFromIt() throws Exception {
        // Given
        String key = uniqueKey();
        String principal = ACCOUNT + "user/" + key;
        try (EcsClient ecs = client(key); EcsClient other = client(uniqueKey())) {

            // When
            Setting put = ecs.putAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS).value("enhanced"))
                    .setting();
            String cluster = "acct-" + key.toLowerCase();
            var created = ecs.createCluster(r -> r.clusterName(cluster)).cluster();

            // Then
            assertThat(put.name()).isEqualTo(SettingName.CONTAINER_INSIGHTS);
            assertThat(put.value()).isEqualTo("enhanced");
            assertThat(put.principalArn()).isEqualTo(principal);
            assertThat(put.type()).isEqualTo(SettingType.USER);
            assertThat(created.settings()).contains(ClusterSetting.builder().name("containerInsights")
                    .value("enhanced").build());
            assertThat(ecs.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)).settings())
                    .containsExactly(put);
            assertThat(other.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)).settings()).isEmpty();
            Setting effective = other.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)
                    .effectiveSettings(true)).settings().get(0);
            assertThat(effective.type()).isEqualTo(SettingType.AWS_MANAGED);
            assertThat(other.describeClusters(r -> r.clusters(cluster).include(ClusterField.SETTINGS)).clusters()
                    .get(0).settings()).contains(ClusterSetting.builder().name("containerInsights").value("enhanced")
                    .build());
            assertThat(latestRecord(AccountSettingRecord.key(principal, "containerInsights")))
                    .isEqualTo(new AccountSettingRecord(1, 1, principal, "containerInsights", "enhanced"));

            // When
            Setting deleted = ecs.deleteAccountSetting(r -> r.name(SettingName.CONTAINER_INSIGHTS)).setting();

            // Then
            assertThat(deleted).isEqualTo(put);
            assertThat(ecs.listAccountSettings(r -> r.name(SettingName.CONTAINER_INSIGHTS)).settings()).isEmpty();
        }
    }

    @Test
    void aTaskDefinitionNamesThePrincipalThatRegisteredIt() throws Exception {
        // Given
        String key = uniqueKey();
        try (EcsClient ecs = client(key)) {
            // When
            var registered = ecs.registerTaskDefinition(r -> r.family("by-" + key.toLowerCase())
                    .containerDefinitions(c -> c.name("web").image("busybox").memory(64))).taskDefinition();

            // Then
            assertThat(registered.registeredBy()).isEqualTo(ACCOUNT + "user/" + key);
            assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(registered.taskDefinitionArn()))
                    .taskDefinition().registeredBy()).isEqualTo(ACCOUNT + "user/" + key);
            assertThat(registered.hasRequiresAttributes()).isTrue();
        }
    }

    @Test
    void theSdkPagesEffectiveSettingsAndGetsEcsRefusals() throws Exception {
        try (EcsClient ecs = client(uniqueKey())) {
            // When
            var first = ecs.listAccountSettings(r -> r.effectiveSettings(true).maxResults(4));
            var rest = ecs.listAccountSettings(r -> r.effectiveSettings(true).maxResults(10)
                    .nextToken(first.nextToken()));

            // Then
            assertThat(first.settings()).hasSize(4);
            assertThat(first.nextToken()).isNotNull();
            assertThat(rest.nextToken()).isNull();
            assertThat(first.settings().get(0).name()).isNotNull();
            assertThat(List.copyOf(rest.settings())).extracting(Setting::nameAsString)
                    .doesNotContainAnyElementsOf(first.settings().stream().map(Setting::nameAsString).toList());
            assertThatThrownBy(() -> ecs.putAccountSetting(r -> r.name(SettingName.TASK_LONG_ARN_FORMAT)
                    .value("disabled"))).isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("You can no longer disable Long Arn settings.");
            assertThatThrownBy(() -> ecs.putAccountSettingDefault(r -> r.name(SettingName.GUARD_DUTY_ACTIVATE)
                    .value("enabled"))).isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> ecs.listAccountSettings(r -> r.maxResults(11)))
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'maxResults'");
        }
    }

    @Test
    void theCliPutsListsAndDeletesSettingsAndTheAccountDefault() {
        // Given
        String key = uniqueKey();
        AwsCli cli = AwsCli.at(endpoint, key);
        await().atMost(PATIENCE).until(scheduler::isReady);

        // When
        JsonNode put = cli.ok("ecs", "put-account-setting", "--name", "awsvpcTrunking", "--value", "enabled");
        JsonNode accountDefault = cli.ok("ecs", "put-account-setting-default", "--name",
                "fargateTaskRetirementWaitPeriod", "--value", "14");
        JsonNode listed = cli.ok("ecs", "list-account-settings", "--effective-settings");
        AwsCli.Run notRoot = cli.run("ecs", "delete-account-setting", "--name", "fargateTaskRetirementWaitPeriod",
                "--principal-arn", ACCOUNT + "root");
        // An unsigned call carries no access key: it is the root's, which may name any principal
        JsonNode deleted = cli.ok("ecs", "delete-account-setting", "--name", "fargateTaskRetirementWaitPeriod",
                "--principal-arn", ACCOUNT + "root", "--no-sign-request");
        AwsCli.Run refused = cli.run("ecs", "put-account-setting", "--name", "serviceLongArnFormat", "--value",
                "disabled");

        // Then
        assertThat(put.path("setting").path("principalArn").asText()).isEqualTo(ACCOUNT + "user/" + key);
        assertThat(put.path("setting").path("value").asText()).isEqualTo("enabled");
        assertThat(accountDefault.path("setting").path("principalArn").asText()).isEqualTo(ACCOUNT + "root");
        assertThat(setting(listed, "awsvpcTrunking").path("value").asText()).isEqualTo("enabled");
        assertThat(setting(listed, "fargateTaskRetirementWaitPeriod").path("value").asText()).isEqualTo("14");
        assertThat(setting(listed, "taskLongArnFormat").path("value").asText()).isEqualTo("enabled");
        assertThat(notRoot.exitCode()).isNotZero();
        assertThat(notRoot.stderr()).contains("ClientException").contains("only the root user");
        assertThat(deleted.path("setting").path("value").asText()).isEqualTo("14");
        assertThat(setting(cli.ok("ecs", "list-account-settings", "--effective-settings"),
                "fargateTaskRetirementWaitPeriod").path("value").asText()).isEqualTo("7");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("InvalidParameterException")
                .contains("You can no longer disable Long Arn settings.");
    }

    private static JsonNode setting(JsonNode listed, String name) {
        for (JsonNode setting : listed.path("settings")) {
            if (name.equals(setting.path("name").asText())) {
                return setting;
            }
        }
        throw new AssertionError("no setting " + name + " in " + listed);
    }

    private AccountSettingRecord latestRecord(String key) {
        ConsumerRecord<String, String> last = TopicRecords.readAll(kafkaSettings.bootstrapServers(),
                "berth.account-settings", PATIENCE).stream().filter(r -> key.equals(r.key()))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no record of " + key));
        RecordCodec.Decoded decoded = new RecordCodec().decode(last.value().getBytes(StandardCharsets.UTF_8));
        return (AccountSettingRecord) ((RecordCodec.Decoded.Record) decoded).value();
    }
}
