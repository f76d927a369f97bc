package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.model.TaskStatus;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.Partitioning;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.KafkaBrokerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.PlacementStrategyType;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceField;
import software.amazon.awssdk.services.ecs.model.InstanceHealthCheckState;
import software.amazon.awssdk.services.ecs.model.InstanceHealthCheckType;
import software.amazon.awssdk.services.ecs.model.DescribeClustersResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.StopTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** The ECS API against a real Kafka broker, driven by the AWS SDK v2 as a user would. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerResource.class, initArgs = @ResourceArg(name = "roles", value = "scheduler"))
class SchedulerApiIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL endpoint;

    @Inject
    SchedulerRole scheduler;

    @Inject
    KafkaSettings kafkaSettings;

    @Inject
    SchedulerConfig schedulerConfig;

    private EcsClient ecs;
    private FakeAgentKafka agent;

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

    private TaskDefinition register(String family, int memory, Integer hostPort) {
        ContainerDefinition.Builder web = ContainerDefinition.builder().name("web").image("busybox").cpu(128)
                .memory(memory);
        if (hostPort != null) {
            web.portMappings(PortMapping.builder().containerPort(80).hostPort(hostPort).protocol("tcp").build());
        }
        return ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(web.build())).taskDefinition();
    }

    @Test
    void updateServiceRefusesAPlacementChangeByName() {
        // Given: a service
        String cluster = unique("svc-place");
        ecs.createCluster(r -> r.clusterName(cluster));
        String family = unique("svc-place");
        register(family, 64, null);
        ecs.createService(r -> r.cluster(cluster).serviceName("web").taskDefinition(family).desiredCount(0));

        // When / Then: new constraints or strategies are refused, naming the parameter
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(cluster).service("web")
                .placementConstraints(c -> c.type(PlacementConstraintType.DISTINCT_INSTANCE))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid 'placementConstraints': changing a service's placement constraints");
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(cluster).service("web")
                .placementStrategy(st -> st.type(PlacementStrategyType.RANDOM))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid 'placementStrategy': changing a service's placement strategy");
    }

    @Test
    void createsDescribesAndListsClusters() {
        // Given
        String name = unique("prod");

        // When
        Cluster created = ecs.createCluster(r -> r.clusterName(name)).cluster();
        DescribeClustersResponse described = ecs.describeClusters(r -> r.clusters(name, "nope"));
        List<String> listed = ecs.listClusters().clusterArns();

        // Then
        assertThat(created.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/" + name);
        assertThat(created.status()).isEqualTo("ACTIVE");
        assertThat(described.clusters()).extracting(Cluster::clusterName).containsExactly(name);
        assertThat(described.clusters().get(0).registeredContainerInstancesCount()).isZero();
        assertThat(described.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:cluster/nope");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThat(listed).contains(created.clusterArn(), "arn:aws:ecs:us-east-1:000000000000:cluster/default");
    }

    @Test
    void registersDescribesListsAndDeregistersTaskDefinitions() {
        // Given
        String family = unique("web");
        TaskDefinition first = register(family, 128, null);
        TaskDefinition second = register(family, 256, null);

        // When
        TaskDefinition latest = ecs.describeTaskDefinition(r -> r.taskDefinition(family)).taskDefinition();
        TaskDefinition deregistered = ecs.deregisterTaskDefinition(r -> r.taskDefinition(second.taskDefinitionArn()))
                .taskDefinition();
        List<String> active = ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns();
        List<String> inactive = ecs.listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.INACTIVE))
                .taskDefinitionArns();

        // Then
        assertThat(first.revision()).isEqualTo(1);
        assertThat(second.revision()).isEqualTo(2);
        assertThat(latest.revision()).isEqualTo(2);
        assertThat(latest.containerDefinitions().get(0).memory()).isEqualTo(256);
        assertThat(latest.registeredAt()).isNotNull();
        assertThat(deregistered.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(active).containsExactly(first.taskDefinitionArn());
        assertThat(inactive).containsExactly(second.taskDefinitionArn());
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(family)).taskDefinition().revision()).isEqualTo(1);
    }

    @Test
    void refusesBadInputWithEcsErrors() {
        assertThatThrownBy(() -> register(unique("tiny"), 4, null))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid 'memory' setting for container "
                            + "'web'. At least 6 MiB of memory is required per container.");
                });
        ContainerDefinition twin = ContainerDefinition.builder().name("twin").image("busybox").memory(64).build();
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family(unique("twins"))
                .containerDefinitions(twin, twin)))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Container names must be unique within a Task Definition.");
        assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition(unique("nothing") + ":1")))
                .isInstanceOf(ClientException.class).hasMessageContaining("Unable to describe task definition.");
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster(unique("nowhere"))))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageContaining("Cluster not found.");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(unique("nowhere")).taskDefinition("x")))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void describeCallsTakeAtMostAHundredNamesAsInEcs() {
        // Given: 101 names, and a cluster for the calls that need one
        String cluster = unique("many");
        ecs.createCluster(r -> r.clusterName(cluster));
        List<String> names = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(i -> "name-" + i).toList();

        // When / Then: each call refuses them by name; a hundred are answered
        assertThatThrownBy(() -> ecs.describeClusters(r -> r.clusters(names)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at most 100 clusters per call");
        assertThatThrownBy(() -> ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(names)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("at most 100 container instances per call");
        assertThatThrownBy(() -> ecs.describeTasks(r -> r.cluster(cluster).tasks(names)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at most 100 tasks per call");
        assertThat(ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(names.subList(0, 100)))
                .failures()).hasSize(100);
        assertThat(ecs.describeClusters(r -> r.clusters(names.subList(0, 100))).failures()).hasSize(100);
    }

    @Test
    void listsTaskDefinitionsOfOneFamilyAndFamiliesByPrefix() {
        // Given: two families, one of them a prefix of the other, one with no ACTIVE revision left
        String family = unique("fam");
        register(family, 64, null);
        register(family + "-worker", 64, null);
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(family + "-worker:1"));

        // When
        List<String> ofFamily = ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns();
        List<String> all = ecs.listTaskDefinitionFamilies(r -> r.familyPrefix(family)).families();
        List<String> active = ecs.listTaskDefinitionFamilies(r -> r.familyPrefix(family)
                .status(TaskDefinitionFamilyStatus.ACTIVE)).families();
        List<String> inactive = ecs.listTaskDefinitionFamilies(r -> r.familyPrefix(family)
                .status(TaskDefinitionFamilyStatus.INACTIVE)).families();
        List<String> paged = ecs.listTaskDefinitionFamiliesPaginator(r -> r.familyPrefix(family).maxResults(1))
                .families().stream().toList();

        // Then: ECS's familyPrefix is the full family name in ListTaskDefinitions, a prefix here
        assertThat(ofFamily).singleElement().satisfies(arn -> assertThat(arn).endsWith("/" + family + ":1"));
        assertThat(all).containsExactly(family, family + "-worker");
        assertThat(active).containsExactly(family);
        assertThat(inactive).containsExactly(family + "-worker");
        assertThat(paged).containsExactly(family, family + "-worker");
    }

    @Test
    void describesClusterStatisticsAndSettingsWhenAsked() {
        // Given
        String name = unique("stats");
        ecs.createCluster(r -> r.clusterName(name));

        // When
        Cluster plain = ecs.describeClusters(r -> r.clusters(name)).clusters().get(0);
        Cluster detailed = ecs.describeClusters(r -> r.clusters(name)
                .include(ClusterField.STATISTICS, ClusterField.SETTINGS, ClusterField.TAGS)).clusters().get(0);

        // Then
        assertThat(plain.statistics()).isEmpty();
        assertThat(plain.settings()).isEmpty();
        assertThat(detailed.statistics()).extracting(KeyValuePair::name)
                .contains("runningEC2TasksCount", "pendingEC2TasksCount", "runningFargateTasksCount");
        assertThat(detailed.statistics()).filteredOn(s -> s.name().equals("runningEC2TasksCount"))
                .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo("0"));
        assertThat(detailed.settings()).singleElement().satisfies(s -> {
            assertThat(s.nameAsString()).isEqualTo("containerInsights");
            assertThat(s.value()).isEqualTo("disabled");
        });
    }

    @Test
    void refusesWhatBerthCannotRunByNameInsteadOfRunningSomethingElse() throws Exception {
        // Given: a cluster with an instance and an EC2 task definition
        String cluster = unique("strict");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 2048, 1024);
        String family = unique("ec2");
        register(family, 64, null);
        ContainerDefinition web = ContainerDefinition.builder().name("web").image("busybox").memory(64).build();

        // When / Then: Fargate and awsvpc are refused, naming the field
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)
                .launchType(LaunchType.FARGATE)))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("Invalid 'launchType': FARGATE is not supported");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)
                .placementStrategy(s -> s.type(PlacementStrategyType.BINPACK).field("disk"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Invalid 'placementStrategy[0].field': binpack takes cpu or memory");
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)
                .placementConstraints(c -> c.type(PlacementConstraintType.MEMBER_OF).expression("runningTasksCount <"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("at character 20");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family(unique("vpc"))
                .networkMode(NetworkMode.AWSVPC).containerDefinitions(web)))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Invalid 'networkMode' setting for task: awsvpc is not supported by Berth");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family(unique("fargate"))
                .requiresCompatibilities(Compatibility.FARGATE).cpu("256").memory("512").containerDefinitions(web)))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Invalid 'requiresCompatibilities' setting for task: FARGATE");
        assertThat(ecs.listTasks(r -> r.cluster(cluster).family(family)).taskArns()).isEmpty();

        // And EC2 with ECS's placement parameters is accepted
        RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family).launchType(LaunchType.EC2)
                .placementConstraints(c -> c.type(PlacementConstraintType.DISTINCT_INSTANCE),
                        c -> c.type(PlacementConstraintType.MEMBER_OF).expression("agentConnected == true"))
                .placementStrategy(s -> s.type(PlacementStrategyType.SPREAD).field("instanceId"),
                        s -> s.type(PlacementStrategyType.BINPACK).field("memory")));
        assertThat(run.tasks()).hasSize(1);
        assertThat(ecs.listTasks(r -> r.cluster(cluster).desiredStatus(DesiredStatus.PENDING)).taskArns())
                .as("ECS never sets a desired status of PENDING").isEmpty();
        assertThat(ecs.listTasks(r -> r.cluster(cluster).desiredStatus(DesiredStatus.RUNNING)).taskArns())
                .containsExactly(run.tasks().get(0).taskArn());

        // And a task started as EXTERNAL says so, and the launch type filters ListTasks
        RunTaskResponse external = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)
                .launchType(LaunchType.EXTERNAL));
        assertThat(external.tasks()).singleElement()
                .satisfies(t -> assertThat(t.launchType()).isEqualTo(LaunchType.EXTERNAL));
        assertThat(run.tasks().get(0).launchType()).isEqualTo(LaunchType.EC2);
        assertThat(ecs.listTasks(r -> r.cluster(cluster).launchType(LaunchType.EXTERNAL)).taskArns())
                .containsExactly(external.tasks().get(0).taskArn());
        assertThat(ecs.listTasks(r -> r.cluster(cluster).launchType(LaunchType.EC2)).taskArns())
                .containsExactly(run.tasks().get(0).taskArn());
        assertThat(ecs.listTasks(r -> r.cluster(cluster).launchType(LaunchType.FARGATE)).taskArns()).isEmpty();
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster(cluster).family(family + ":1")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("family must match");
    }

    @Test
    void answersRawCallsWithEcsJsonErrors() throws Exception {
        // Given
        HttpClient http = HttpClient.newHttpClient();
        String fixture = new String(getClass().getResourceAsStream("/ecs/register-task-definition-tiny-memory.json")
                .readAllBytes(), StandardCharsets.UTF_8);

        // When
        HttpResponse<String> tiny = post(http, "RegisterTaskDefinition", fixture);
        HttpResponse<String> refused = post(http, "CreateCapacityProvider", "{}");
        HttpResponse<String> unknown = post(http, "LaunchRocket", "{}");
        HttpResponse<String> malformed = post(http, "ListClusters", "{\"maxResults\":");

        // Then
        assertThat(tiny.statusCode()).isEqualTo(400);
        assertThat(tiny.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/x-amz-json-1.1"));
        assertThat(tiny.headers().firstValue("Date")).as("RFC 9110's IMF-fixdate").hasValueSatisfying(
                v -> assertThat(v).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
        assertThat(tiny.body()).isEqualTo("{\"__type\":\"ClientException\",\"message\":\"Invalid 'memory' setting for "
                + "container 'app'. At least 6 MiB of memory is required per container.\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"__type\":\"UnsupportedFeatureException\"")
                .contains("Berth does not support CreateCapacityProvider");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"__type\":\"UnknownOperationException\"").contains("LaunchRocket");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"__type\":\"SerializationException\"");
    }

    @Test
    void requestsRefusedBeforeDispatchAreAnsweredAsEcsErrorsToo() throws Exception {
        // Given
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String cluster = unique("mp-edge");

        // When
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(endpoint.toURI()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clusterName\":\"" + cluster + "\",\"x\":\"+%s\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> multipart = http.send(HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", "multipart/form-data; boundary=x")
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clusterName\":\"" + cluster + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then: every one an ECS error in the API's JSON, and nothing made of the form bodies
        for (HttpResponse<String> response : List.of(get, form, multipart)) {
            assertThat(response.body()).as(response.request().method() + " " + response.statusCode())
                    .startsWith("{\"__type\":");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        }
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(multipart.body()).contains("SerializationException");
        assertThat(ecs.listClusters().clusterArns()).noneMatch(arn -> arn.endsWith("/" + cluster));
    }

    @Test
    void acceptsARealEcsTaskDefinitionFixture() throws Exception {
        // Given
        String fixture = new String(getClass().getResourceAsStream("/ecs/register-task-definition-web.json")
                .readAllBytes(), StandardCharsets.UTF_8);

        // When
        HttpResponse<String> response = post(HttpClient.newHttpClient(), "RegisterTaskDefinition", fixture);

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        TaskDefinition described = ecs.describeTaskDefinition(r -> r.taskDefinition("fixture-web")).taskDefinition();
        assertThat(described.containerDefinitions().get(0).portMappings().get(0).hostPort()).isEqualTo(8080);
        assertThat(described.containerDefinitions().get(0).portMappings().get(0).name()).isEqualTo("nginx-80-tcp");
        assertThat(described.containerDefinitions().get(0).portMappings().get(0).appProtocolAsString())
                .isEqualTo("http");
        assertThat(described.containerDefinitions().get(0).environment().get(0).value()).isEqualTo("production");
    }

    @Test
    void describesBackTheEcsFieldsItStoresButDoesNotModel() throws Exception {
        // Given: a task definition as ECS users write them, with logging, health, limits and ordering
        String fixture = new String(getClass().getResourceAsStream("/ecs/register-task-definition-full.json")
                .readAllBytes(), StandardCharsets.UTF_8);

        // When
        HttpResponse<String> response = post(HttpClient.newHttpClient(), "RegisterTaskDefinition", fixture);
        TaskDefinition described = ecs.describeTaskDefinition(r -> r.taskDefinition("fixture-full")).taskDefinition();

        // Then: the SDK reads them back, typed, as they were registered
        assertThat(response.statusCode()).isEqualTo(200);
        ContainerDefinition web = described.containerDefinitions().get(0);
        assertThat(web.logConfiguration().logDriverAsString()).isEqualTo("json-file");
        assertThat(web.logConfiguration().options()).containsEntry("max-size", "10m");
        assertThat(web.healthCheck().command()).containsExactly("CMD-SHELL", "true");
        assertThat(web.healthCheck().retries()).isEqualTo(3);
        assertThat(web.ulimits()).singleElement().satisfies(u -> assertThat(u.hardLimit()).isEqualTo(4096));
        assertThat(web.mountPoints()).isEmpty();
        assertThat(web.dependsOn()).singleElement().satisfies(d -> assertThat(d.containerName()).isEqualTo("sidecar"));
        assertThat(web.linuxParameters().initProcessEnabled()).isTrue();
        assertThat(web.memoryReservation()).isEqualTo(64);
        assertThat(described.volumes()).isEmpty();
        assertThat(described.pidModeAsString()).isEqualTo("host");
        assertThat(described.revision()).isEqualTo(1);
        assertThat(described.statusAsString()).isEqualTo("ACTIVE");
        assertThat(described.requiresAttributes()).extracting(a -> a.name()).contains(
                "com.amazonaws.ecs.capability.logging-driver.json-file",
                "com.amazonaws.ecs.capability.docker-remote-api.1.18", "ecs.capability.container-health-check",
                "ecs.capability.container-ordering", "com.amazonaws.ecs.capability.docker-remote-api.1.25",
                "ecs.capability.pid-ipc-namespace-sharing");
    }

    @Test
    void placesATaskOnlyWhereItsRequiredCapabilitiesAreAdvertised() throws Exception {
        // Given: an instance whose agent refuses privileged containers, as Berth's agents do by default
        String cluster = unique("caps");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 4096, 4096);
        String family = unique("root");
        ecs.registerTaskDefinition(r -> r.family(family).containerDefinitions(ContainerDefinition.builder()
                .name("c").image("busybox").memory(64).privileged(true).build()));

        // When
        RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family));

        // Then
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition(family)).taskDefinition().requiresAttributes())
                .extracting(a -> a.name()).containsExactly("com.amazonaws.ecs.capability.privileged-container");
        assertThat(run.tasks()).isEmpty();
        assertThat(run.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("ATTRIBUTE"));
    }

    @Test
    void deregistersAContainerInstanceByForceAndStopsItsTasksInOneTransaction() throws Exception {
        // Given: an instance with a task on it
        String cluster = unique("leaving");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 4096, 4096);
        String family = unique("leaver");
        register(family, 64, null);
        String taskArn = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)).tasks().get(0).taskArn();

        // When / Then: without force a running task refuses the call
        assertThatThrownBy(() -> ecs.deregisterContainerInstance(r -> r.cluster(cluster).containerInstance(instanceId)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Found running tasks on the instance");

        // When: with force
        software.amazon.awssdk.services.ecs.model.ContainerInstance gone = ecs.deregisterContainerInstance(
                r -> r.cluster(cluster).containerInstance(instanceId).force(true)).containerInstance();

        // Then
        assertThat(gone.status()).isEqualTo("INACTIVE");
        assertThat(ecs.listContainerInstances(r -> r.cluster(cluster)).containerInstanceArns()).isEmpty();
        software.amazon.awssdk.services.ecs.model.Task task = ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn))
                .tasks().get(0);
        assertThat(task.lastStatus()).isEqualTo("STOPPED");
        assertThat(task.stopCodeAsString()).isEqualTo("TerminationNotice");
        assertThat(task.stoppedReason()).contains(instanceId);
        assertThat(task.stoppedAt()).as("a task stopped in its agent's stead has a stoppedAt, as every STOPPED task")
                .isNotNull();
    }

    /** A cluster with one fake agent of the given capacity, once the scheduler lists it. */
    private void clusterWithInstance(String cluster, String instanceId, int cpu, int memory) throws Exception {
        ecs.createCluster(r -> r.clusterName(cluster));
        agent.register(instanceId, cluster, cpu, memory);
        await().atMost(PATIENCE).until(() -> !ecs.listContainerInstances(r -> r.cluster(cluster))
                .containerInstanceArns().isEmpty());
    }

    private HttpResponse<String> post(HttpClient http, String operation, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint.toURI())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsATaskOnARegisteredInstanceAndFollowsItsLifecycle() throws Exception {
        // Given: a cluster with one fake agent and a task definition
        String cluster = unique("run");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 2048, 1024);
        String family = unique("app");
        register(family, 256, 8080);

        // When
        RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family).startedBy("it"));

        // Then: one PENDING task, desired on the partition of its instance
        assertThat(run.failures()).isEmpty();
        Task task = run.tasks().get(0);
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        assertThat(task.lastStatus()).isEqualTo("PENDING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.containerInstanceArn()).endsWith("/" + cluster + "/" + instanceId);
        assertThat(task.createdAt()).isNotNull();
        ConsumerRecord<String, DesiredTask> placed = agent.desiredTasks().stream()
                .filter(r -> r.key().equals(taskId)).findFirst().orElseThrow();
        assertThat(placed.partition()).isEqualTo(Partitioning.forInstance(instanceId, kafkaSettings.partitions()));
        assertThat(placed.value().instanceId()).isEqualTo(instanceId);

        // And the instance shows what the task takes
        ContainerInstance instance = ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(instanceId)).containerInstances().get(0);
        assertThat(instance.agentConnected()).isTrue();
        assertThat(instance.pendingTasksCount()).isEqualTo(1);
        assertThat(instance.remainingResources()).filteredOn(res -> res.name().equals("MEMORY"))
                .singleElement().satisfies(res -> assertThat(res.integerValue()).isEqualTo(1024 - 256));
        assertThat(instance.remainingResources()).filteredOn(res -> res.name().equals("PORTS"))
                .singleElement().satisfies(res -> assertThat(res.stringSetValue()).contains("22", "8080"));
        assertThat(instance.healthStatus()).as("only when asked").isNull();
        ContainerInstance withHealth = ecs.describeContainerInstances(r -> r.cluster(cluster)
                .containerInstances(instanceId).include(ContainerInstanceField.CONTAINER_INSTANCE_HEALTH))
                .containerInstances().get(0);
        assertThat(withHealth.healthStatus().overallStatus()).as("this fake agent does not say")
                .isEqualTo(InstanceHealthCheckState.INSUFFICIENT_DATA);
        assertThat(withHealth.healthStatus().details()).singleElement()
                .satisfies(d -> assertThat(d.type()).isEqualTo(InstanceHealthCheckType.CONTAINER_RUNTIME));

        // When the agent reports RUNNING
        agent.report(placed.value(), TaskStatus.RUNNING, 2);

        // Then
        await().atMost(PATIENCE).untilAsserted(() -> {
            DescribeTasksResponse described = ecs.describeTasks(r -> r.cluster(cluster).tasks(taskId));
            Task running = described.tasks().get(0);
            assertThat(running.lastStatus()).isEqualTo("RUNNING");
            assertThat(running.startedAt()).isNotNull();
            assertThat(running.containers().get(0).networkBindings().get(0).hostPort()).isEqualTo(8080);
            assertThat(running.containers().get(0).runtimeId()).isEqualTo("runtime-web");
        });
        assertThat(ecs.describeClusters(r -> r.clusters(cluster)).clusters().get(0).runningTasksCount()).isEqualTo(1);
        assertThat(ecs.listTasks(r -> r.cluster(cluster)).taskArns()).containsExactly(task.taskArn());

        // When the user stops it
        StopTaskResponse stopped = ecs.stopTask(r -> r.cluster(cluster).task(task.taskArn()).reason("done"));

        // Then: desired STOPPED on the same partition, with the user's reason
        assertThat(stopped.task().desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.task().stopCodeAsString()).isEqualTo("UserInitiated");
        assertThat(stopped.task().stoppedReason()).isEqualTo("done");
        List<ConsumerRecord<String, DesiredTask>> versions = agent.desiredTasks().stream()
                .filter(r -> r.key().equals(taskId)).toList();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).partition()).isEqualTo(placed.partition());
        assertThat(versions.get(1).value().desiredStatus()).isEqualTo(TaskStatus.STOPPED);
        assertThat(versions.get(1).value().stopCode()).isEqualTo("UserInitiated");
        assertThat(ecs.listTasks(r -> r.cluster(cluster).desiredStatus("STOPPED")).taskArns())
                .containsExactly(task.taskArn());
    }

    @Test
    void aTaskThatStopsOnItsOwnIsDesiredStoppedSoNoAgentRunsItAgain() throws Exception {
        // Given: a running task
        String cluster = unique("exit");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 2048, 1024);
        String family = unique("app");
        register(family, 128, null);
        String taskArn = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)).tasks().get(0).taskArn();
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        DesiredTask placed = agent.desiredTasks().stream().filter(r -> r.key().equals(taskId)).findFirst()
                .orElseThrow().value();

        // When its essential container exits and the agent says so
        agent.reportStopped(placed, 2, "EssentialContainerExited", "Essential container in task exited");

        // Then the scheduler's reconciliation makes STOPPED the desired status, on the same partition
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<ConsumerRecord<String, DesiredTask>> versions = agent.desiredTasks().stream()
                    .filter(r -> r.key().equals(taskId)).toList();
            assertThat(versions).hasSize(2);
            assertThat(versions.get(1).value().desiredStatus()).isEqualTo(TaskStatus.STOPPED);
            assertThat(versions.get(1).value().stopCode()).isEqualTo("EssentialContainerExited");
            assertThat(versions.get(1).partition()).isEqualTo(Partitioning.forInstance(instanceId,
                    kafkaSettings.partitions()));
        });
        Task described = ecs.describeTasks(r -> r.cluster(cluster).tasks(taskArn)).tasks().get(0);
        assertThat(described.lastStatus()).isEqualTo("STOPPED");
        assertThat(described.desiredStatus()).isEqualTo("STOPPED");
        assertThat(described.stopCodeAsString()).isEqualTo("EssentialContainerExited");
        assertThat(described.containers().get(0).exitCode()).isEqualTo(7);
    }

    @Test
    void reportsResourceMemoryWhenTheTaskIsTooBig() throws Exception {
        // Given
        String cluster = unique("small");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 2048, 512);
        String family = unique("huge");
        register(family, 4096, null);

        // When
        RunTaskResponse run = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family).count(2));

        // Then
        assertThat(run.tasks()).isEmpty();
        assertThat(run.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:container-instance/" + cluster + "/"
                    + instanceId);
            assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY");
        });
    }

    @Test
    void runTaskWithoutInstancesIsAnInvalidParameter() {
        // Given
        String cluster = unique("empty");
        ecs.createCluster(r -> r.clusterName(cluster));
        String family = unique("lonely");
        register(family, 64, null);

        // When / Then
        assertThatThrownBy(() -> ecs.runTask(r -> r.cluster(cluster).taskDefinition(family)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("No Container Instances were found in your cluster.");
    }

    @Test
    void aRestartedSchedulerRebuildsTheSameState() throws Exception {
        // Given: some state of every kind
        String cluster = unique("durable");
        String instanceId = unique("i");
        clusterWithInstance(cluster, instanceId, 4096, 4096);
        String family = unique("kept");
        register(family, 128, null);
        register(family, 128, null);
        ecs.deregisterTaskDefinition(r -> r.taskDefinition(family + ":1"));
        String taskArn = ecs.runTask(r -> r.cluster(cluster).taskDefinition(family).count(2)).tasks().get(0).taskArn();
        ecs.stopTask(r -> r.cluster(cluster).task(taskArn));
        SchedulerState before = scheduler.controlPlane().state();

        // When: a second scheduler replica reads everything back from Kafka
        SchedulerRole restarted = new SchedulerRole(kafkaSettings, schedulerConfig, Clock.systemUTC(),
                SchedulerObserver.NONE, "second-replica");
        try {
            restarted.start();
            await().atMost(PATIENCE).until(restarted::isReady);
            SchedulerState after = restarted.controlPlane().state();

            // Then: the same state, and it follows the leader instead of taking its place
            assertThat(after.clusters()).isEqualTo(before.clusters());
            assertThat(after.taskDefinitions()).isEqualTo(before.taskDefinitions());
            assertThat(after.tasks(cluster)).hasSize(2).isEqualTo(before.tasks(cluster));
            // (when a heartbeat was seen differs: receipt time here, Kafka's log-append time there)
            assertThat(after.instances(cluster)).usingRecursiveFieldByFieldElementComparatorIgnoringFields(
                    "lastHeartbeatSeen").isEqualTo(before.instances(cluster));
            assertThat(restarted.leader()).isInstanceOf(SchedulerRole.Leader.There.class);
            assertThat(scheduler.leader()).isInstanceOf(SchedulerRole.Leader.Here.class);
            register(family, 128, null);
            await().atMost(PATIENCE).until(() -> after.lastRevision(family) == 3);
        } finally {
            restarted.stop();
        }
    }

    @Test
    void answersServiceUnavailableWhenTheSchedulerIsNotRunning() {
        // Given
        SchedulerRole idle = new SchedulerRole(kafkaSettings, schedulerConfig, Clock.systemUTC());

        // When / Then
        assertThatThrownBy(idle::controlPlane).isInstanceOfSatisfying(SchedulerUnavailableException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(503))
                .hasMessageContaining("not running in this Berth process");
    }
}
