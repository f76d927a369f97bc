package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.protocol.KafkaSettings;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.ProtectedTask;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * A service's tasks through the AWS SDK v2 against a real broker: they carry the service's
 * propagated and ECS's managed tags, and a task protected with UpdateTaskProtection is not the
 * one the service stops when it scales in.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class ServiceTasksApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    @Inject
    KafkaSettings kafkaSettings;

    private EcsClient ecs;
    private FakeAgentKafka agent;

    @BeforeEach
    void connect() throws Exception {
        await().atMost(PATIENCE).until(scheduler::isReady);
        ecs = EcsClient.builder().endpointOverride(endpoint.toURI()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("berth", "berth")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        agent = new FakeAgentKafka(kafkaSettings.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        ecs.close();
        agent.close();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private List<Task> tasks(String cluster, DesiredStatus status) {
        List<String> arns = ecs.listTasks(r -> r.cluster(cluster).serviceName("api").desiredStatus(status))
                .taskArns();
        return arns.isEmpty() ? List.of()
                : ecs.describeTasks(r -> r.cluster(cluster).tasks(arns).include(TaskField.TAGS)).tasks();
    }

    @Test
    void aServicesTasksCarryItsTagsAndAProtectedOneOutlivesScaleIn() throws Exception {
        // Given a cluster with one instance and a service of two that propagates its tags
        String cluster = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        ecs.createCluster(r -> r.clusterName(cluster));
        agent.register("i-" + cluster, cluster, 2048, 2048);
        await().atMost(PATIENCE).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                .containerInstanceArns().isEmpty());
        ecs.registerTaskDefinition(r -> r.family(cluster).containerDefinitions(ContainerDefinition.builder()
                .name("web").image("busybox").memory(64).build()));
        Service service = ecs.createService(r -> r.cluster(cluster).serviceName("api").taskDefinition(cluster)
                .desiredCount(2).tags(tag("team", "web")).propagateTags(PropagateTags.SERVICE)
                .enableECSManagedTags(true)).service();
        await().atMost(PATIENCE).until(() -> tasks(cluster, DesiredStatus.RUNNING).size() == 2);
        List<Task> started = tasks(cluster, DesiredStatus.RUNNING);

        // When one of them is protected and the service scales in to one
        Task kept = started.get(0);
        Instant before = Instant.now();
        List<ProtectedTask> protectedTasks = ecs.updateTaskProtection(r -> r.cluster(cluster).tasks(kept.taskArn())
                .protectionEnabled(true).expiresInMinutes(60)).protectedTasks();
        ecs.updateService(r -> r.cluster(cluster).service("api").desiredCount(1));

        // Then
        assertThat(service.propagateTags()).isEqualTo(PropagateTags.SERVICE);
        assertThat(service.enableECSManagedTags()).isTrue();
        assertThat(started).allSatisfy(t -> assertThat(t.tags()).containsExactlyInAnyOrder(tag("team", "web"),
                tag("aws:ecs:serviceName", "api"), tag("aws:ecs:clusterName", cluster)));
        assertThat(protectedTasks).singleElement().satisfies(p -> {
            assertThat(p.protectionEnabled()).isTrue();
            assertThat(p.expirationDate()).isBetween(before.plus(Duration.ofMinutes(59)),
                    Instant.now().plus(Duration.ofMinutes(61)));
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(tasks(cluster, DesiredStatus.RUNNING))
                .extracting(Task::taskArn).containsExactly(kept.taskArn()));
        assertThat(ecs.getTaskProtection(r -> r.cluster(cluster).tasks(kept.taskArn(), started.get(1).taskArn()))
                .protectedTasks()).extracting(ProtectedTask::protectionEnabled).containsExactly(true);
        var standalone = ecs.runTask(r -> r.cluster(cluster).taskDefinition(cluster)).tasks().get(0);
        assertThat(ecs.updateTaskProtection(r -> r.cluster(cluster).tasks(standalone.taskArn())
                .protectionEnabled(true)).failures()).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("TASK_NOT_VALID"));
    }
}
