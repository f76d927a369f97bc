package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskDefinitionRecord;
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
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/** Tags through the AWS SDK v2 against a real Kafka broker: kept, answered, limited, and in the records on Kafka. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class TagsApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    @Inject
    KafkaSettings kafkaSettings;

    private EcsClient ecs;
    private FakeAgentKafka agent;
    private final RecordCodec codec = new RecordCodec();

    @BeforeEach
    void connect() throws Exception {
        await().atMost(PATIENCE).until(scheduler::isReady);
        ecs = EcsClient.builder()
                .endpointOverride(endpoint.toURI())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        agent = new FakeAgentKafka(kafkaSettings.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        ecs.close();
        agent.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** The latest record of a key on a compacted topic, decoded as the scheduler decodes it on a restart. */
    private <T extends BerthRecord> T latest(String topic, String key, Class<T> type) {
        Optional<ConsumerRecord<String, String>> last = TopicRecords.readAll(kafkaSettings.bootstrapServers(), topic,
                PATIENCE).stream().filter(r -> key.equals(r.key())).reduce((a, b) -> b);
        assertThat(last).as("a record of %s on %s", key, topic).isPresent();
        RecordCodec.Decoded decoded = codec.decode(last.get().value().getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOf(RecordCodec.Decoded.Record.class);
        return type.cast(((RecordCodec.Decoded.Record) decoded).value());
    }

    @Test
    void aClusterKeepsItsTagsAndContainerInsightsInItsRecord() {
        // Given
        String name = unique("tagged");

        // When
        Cluster created = ecs.createCluster(r -> r.clusterName(name).tags(tag("team", "web"))
                .settings(ClusterSetting.builder().name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled").build()))
                .cluster();
        ecs.tagResource(r -> r.resourceArn(created.clusterArn()).tags(tag("env", "prod"), tag("team", "api")));
        ecs.untagResource(r -> r.resourceArn(created.clusterArn()).tagKeys("env"));
        Cluster described = ecs.describeClusters(r -> r.clusters(name)
                .include(ClusterField.TAGS, ClusterField.SETTINGS)).clusters().get(0);
        Cluster plain = ecs.describeClusters(r -> r.clusters(name)).clusters().get(0);

        // Then
        assertThat(created.tags()).containsExactly(tag("team", "web"));
        assertThat(described.tags()).containsExactly(tag("team", "api"));
        assertThat(described.settings()).containsExactly(ClusterSetting.builder()
                .name(ClusterSettingName.CONTAINER_INSIGHTS).value("enabled").build());
        assertThat(plain.hasTags()).as("tags only with include=TAGS").isFalse();
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(created.clusterArn())).tags())
                .containsExactly(tag("team", "api"));
        ClusterRecord record = latest("berth.clusters", name, ClusterRecord.class);
        assertThat(record.tags()).containsExactly(new dev.berth.model.Tag("team", "api"));
        assertThat(record.settings()).containsExactly(new ClusterRecord.Setting("containerInsights", "enabled"));
    }

    @Test
    void aTaskDefinitionAndItsTasksKeepTheirTags() throws Exception {
        // Given
        String cluster = unique("tasks");
        String instanceId = unique("i");
        ecs.createCluster(r -> r.clusterName(cluster));
        agent.register(instanceId, cluster, 2048, 2048);
        await().atMost(PATIENCE).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                .containerInstanceArns().isEmpty());
        String family = unique("app");

        // When
        var registered = ecs.registerTaskDefinition(r -> r.family(family).tags(tag("app", "web"))
                .containerDefinitions(ContainerDefinition.builder().name("web").image("busybox").memory(64).build()));
        Task task = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family).tags(tag("job", "nightly"))
                .propagateTags(PropagateTags.TASK_DEFINITION).enableECSManagedTags(true)).tasks().get(0);
        ecs.tagResource(r -> r.resourceArn(task.taskArn()).tags(tag("owner", "ops")));
        List<Tag> fortySeven = java.util.stream.IntStream.range(0, 47).mapToObj(i -> tag("k" + i, "v")).toList();
        ecs.tagResource(r -> r.resourceArn(task.taskArn()).tags(fortySeven));

        // Then
        assertThat(registered.tags()).containsExactly(tag("app", "web"));
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(family).include(TaskDefinitionField.TAGS))
                .tags()).containsExactly(tag("app", "web"));
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(family)).tags())
                .as("without include=TAGS, the empty list of ECS's documented example").isEmpty();
        assertThat(task.tags()).as("enableECSManagedTags adds ECS's own tag, which no caller may set")
                .containsExactly(tag("app", "web"), tag("job", "nightly"), tag("aws:ecs:clusterName", cluster));
        Task described = ecs.describeTasks(r -> r.cluster(cluster).tasks(task.taskArn()).include(TaskField.TAGS))
                .tasks().get(0);
        assertThat(described.tags()).as("50 tags of its own: ECS's aws: tag is not counted against the limit")
                .hasSize(51).startsWith(tag("app", "web"), tag("job", "nightly"),
                        tag("aws:ecs:clusterName", cluster), tag("owner", "ops"));
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(task.taskArn()).tags(tag("one", "more"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at most 50");
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        assertThat(latest("berth.tasks", taskId, DesiredTask.class).tags()).extracting(dev.berth.model.Tag::key)
                .startsWith("app", "job", "aws:ecs:clusterName", "owner");
        assertThat(latest("berth.task-definitions", family + ":1", TaskDefinitionRecord.class).tags())
                .containsExactly(new dev.berth.model.Tag("app", "web"));
    }

    @Test
    void aServiceAndAContainerInstanceKeepTheirTags() throws Exception {
        // Given
        String cluster = unique("svc");
        String instanceId = unique("i");
        ecs.createCluster(r -> r.clusterName(cluster));
        agent.register(instanceId, cluster, 2048, 2048);
        await().atMost(PATIENCE).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                .containerInstanceArns().isEmpty());
        String family = unique("api");
        ecs.registerTaskDefinition(r -> r.family(family)
                .containerDefinitions(ContainerDefinition.builder().name("web").image("busybox").memory(64).build()));
        String instanceArn = ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns().get(0);

        // When
        Service created = ecs.createService(r -> r.cluster(cluster).serviceName("api").taskDefinition(family)
                .desiredCount(0).tags(tag("tier", "front"))).service();
        ecs.tagResource(r -> r.resourceArn(instanceArn).tags(tag("rack", "r1")));

        // Then
        assertThat(ecs.describeServices(r -> r.cluster(cluster).services("api").include(ServiceField.TAGS))
                .services().get(0).tags()).containsExactly(tag("tier", "front"));
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster(cluster).services("api")
                .includeWithStrings("EVERYTHING")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'include'");
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(created.serviceArn())).tags())
                .containsExactly(tag("tier", "front"));
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(instanceArn)).tags()).containsExactly(tag("rack", "r1"));
        assertThat(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(instanceArn)
                .include(ContainerInstanceField.TAGS)).containerInstances().get(0).tags())
                .containsExactly(tag("rack", "r1"));
        assertThat(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(instanceArn))
                .containerInstances().get(0).hasTags()).isFalse();
    }

    @Test
    void badTagsAndUnknownResourcesAreNamedErrors() {
        // Given
        String name = unique("limits");
        String arn = ecs.createCluster(r -> r.clusterName(name)).cluster().clusterArn();
        List<Tag> fiftyOne = java.util.stream.IntStream.range(0, 51).mapToObj(i -> tag("k" + i, "v")).toList();

        // Then
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(tag("aws:owner", "me"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("reserved prefix aws:");
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(fiftyOne)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at most 50");
        assertThatThrownBy(() -> ecs.tagResource(r -> r.resourceArn(arn).tags(tag("k".repeat(129), "v"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'tags[0].key'");
        assertThatThrownBy(() -> ecs.listTagsForResource(r -> r.resourceArn(arn.replace("cluster/", "task/")
                + "/0123456789abcdef")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName(unique("cp")).capacityProviders("FARGATE")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'capacityProviders'");
        assertThatThrownBy(() -> ecs.createCluster(r -> r.clusterName(unique("sc"))
                .serviceConnectDefaults(d -> d.namespace("ns"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'serviceConnectDefaults'");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(name).taskDefinition("none").referenceId("ref-1")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'referenceId'")
                .hasMessageContaining("Berth does not support this parameter of RunTask");
        assertThatThrownBy(() -> ecs.executeCommand(r -> r.cluster(name).task("t").command("sh").interactive(true)))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("Berth does not support ExecuteCommand");
        assertThat(ecs.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
    }
}
