package dev.berth.agent.introspection;

import static dev.berth.agent.introspection.IntrospectionApiTest.SIDECAR_ID;
import static dev.berth.agent.introspection.IntrospectionApiTest.WEB_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.Fixtures;
import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.Arns;
import dev.berth.model.ContainerStatus;
import dev.berth.model.HealthStatus;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.DesiredTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The task metadata endpoint v4's answers, in the ECS shapes, from a fake view of the engine. */
class TaskMetadataApiTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final MetadataTokens tokens = new MetadataTokens(new byte[32]);
    private final List<TaskSnapshot> tasks = new ArrayList<>();
    private final List<String> statsAskedFor = new ArrayList<>();
    private final TaskMetadataApi api = new TaskMetadataApi(tokens, new Arns("aws", "us-east-1", "000000000000"),
            () -> tasks, id -> {
                statsAskedFor.add(id);
                return Optional.of("{\"read\":\"2025-01-01T00:00:00Z\",\"id\":\"" + id + "\"}");
            });

    private JsonNode get(String path) throws Exception {
        JsonApi.Reply reply = api.answer("GET", path, null);
        assertThat(reply.status()).as(reply.json()).isEqualTo(200);
        return mapper.readTree(reply.json());
    }

    private String web(String taskId) {
        return api.endpoint("", taskId, "web");
    }

    @Test
    void theContainerEndpointDescribesTheCallerInTheV4Shape() throws Exception {
        // Given
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));

        // When
        JsonNode container = get(web("t1"));

        // Then
        assertThat(container.get("DockerId").asText()).isEqualTo(WEB_ID);
        assertThat(container.get("Name").asText()).isEqualTo("web");
        assertThat(container.get("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(container.get("Type").asText()).isEqualTo("NORMAL");
        assertThat(container.get("Limits").get("CPU").asInt()).isEqualTo(256);
        assertThat(container.get("Limits").get("Memory").asInt()).isEqualTo(128);
        assertThat(container.get("Labels").get("team").asText()).isEqualTo("payments");
        assertThat(container.get("Networks").get(0).get("NetworkMode").asText()).isEqualTo("bridge");
        assertThat(container.get("Ports").get(0).get("HostPort").asInt()).isEqualTo(32768);
        assertThat(container.get("ContainerARN").asText()).startsWith("arn:aws:ecs:us-east-1:000000000000:container/");
    }

    @Test
    void limitsAreWhatEcsAgentsSendTwoCpuUnitsAtLeastAndNoHardMemoryLimitAsZero() throws Exception {
        // Given: the sidecar has cpu 0 and only a memoryReservation
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));

        // When
        JsonNode sidecar = get(api.endpoint("", "t1", "sidecar"));

        // Then
        assertThat(sidecar.get("Limits").get("CPU").asDouble()).isEqualTo(2);
        assertThat(sidecar.get("Limits").get("Memory").isIntegralNumber()).isTrue();
        assertThat(sidecar.get("Limits").get("Memory").asLong()).isZero();
        assertThat(sidecar.get("ImageID").asText()).as("not known yet: ECS's empty value").isEmpty();
    }

    @Test
    void limitsAreTheOnesTheContainerRunsWithRunTasksOverridesIncluded() throws Exception {
        // Given: RunTask gave the web container cpu 512 and memory 256 (its definition: 256 and 128)
        TaskSnapshot running = IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID);
        DesiredTask desired = running.desired();
        tasks.add(new TaskSnapshot(new DesiredTask(desired.schemaVersion(), desired.version(), desired.taskId(),
                desired.taskArn(), desired.cluster(), desired.instanceId(), desired.taskDefinition(),
                Fixtures.runTaskOverrides(), desired.desiredStatus(), desired.startedBy(), desired.group(),
                desired.createdAt(), null, null, null, null, null, null), running.reported(), running.containers()));

        // When
        JsonNode web = get(web("t1"));

        // Then
        assertThat(web.get("Limits").get("CPU").asInt()).isEqualTo(512);
        assertThat(web.get("Limits").get("Memory").asInt()).isEqualTo(256);
    }

    @Test
    void theImageIdIsDockersOnceTheAgentInspectedTheContainer() throws Exception {
        // Given
        String imageId = "sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741";
        tasks.add(new TaskSnapshot(Fixtures.desired("t1", 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(IntrospectionApiTest.container("web", WEB_ID, ContainerStatus.RUNNING),
                        imageId, null, null),
                new TaskSnapshot.Container(IntrospectionApiTest.container("sidecar", SIDECAR_ID,
                        ContainerStatus.RUNNING), imageId, null, null))));
        IntrospectionApi v1 = new IntrospectionApi(new AgentMetadata("default", IntrospectionApiTest.ARN, "v"),
                () -> tasks);

        // When
        JsonNode container = get(web("t1"));
        JsonNode introspected = mapper.readTree(v1.answer("GET", "/v1/tasks", null).json());

        // Then
        assertThat(container.get("ImageID").asText()).isEqualTo(imageId);
        assertThat(container.get("Image").asText()).isEqualTo("berth-test/busybox:latest");
        assertThat(introspected.get("Tasks").get(0).get("Containers").get(0).get("ImageID").asText())
                .isEqualTo(imageId);
    }

    @Test
    void aContainerWithARestartPolicyShowsItsRestartCount() throws Exception {
        // Given: the web container restarted once in place; the sidecar has no restart policy
        tasks.add(IntrospectionApiTest.task("t1", TaskStatus.RUNNING, TaskStatus.RUNNING,
                IntrospectionApiTest.STARTED, new ContainerState("web", WEB_ID, "berth-test/busybox:latest",
                        ContainerStatus.RUNNING, null, null, List.of(), null, 1),
                IntrospectionApiTest.container("sidecar", SIDECAR_ID, ContainerStatus.RUNNING)));

        // When
        JsonNode web = get(web("t1"));
        JsonNode sidecar = get(api.endpoint("", "t1", "sidecar"));

        // Then
        assertThat(web.get("RestartCount").asInt()).isEqualTo(1);
        assertThat(sidecar.has("RestartCount")).isFalse();
    }

    @Test
    void theTaskEndpointListsEveryContainerWithADockerId() throws Exception {
        // Given
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));

        // When
        JsonNode task = get(web("t1") + "/task");

        // Then
        assertThat(task.get("TaskARN").asText()).endsWith("/t1");
        assertThat(task.get("Family").asText()).isEqualTo("web");
        assertThat(task.get("Revision").asText()).isEqualTo("3");
        assertThat(task.get("DesiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(task.get("LaunchType").asText()).isEqualTo("EC2");
        assertThat(task.get("Containers")).extracting(c -> c.get("DockerId").asText())
                .containsExactly(WEB_ID, SIDECAR_ID);
    }

    @Test
    void aContainerNotCreatedYetHasNoMetadataAndTheTaskListsOnlyTheCreatedOnes() throws Exception {
        // Given: the web container is created, the sidecar not yet
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, null));
        String sidecar = api.endpoint("", "t1", "sidecar");

        // When
        JsonApi.Reply own = api.answer("GET", sidecar, null);
        JsonApi.Reply ownTask = api.answer("GET", sidecar + "/task", null);
        JsonApi.Reply stats = api.answer("GET", sidecar + "/stats", null);
        JsonNode task = get(web("t1") + "/task");

        // Then: as ECS's agent, which knows a container's endpoint only once Docker has the container
        assertThat(own.status()).as(own.json()).isEqualTo(404);
        assertThat(ownTask.status()).isEqualTo(404);
        assertThat(stats.status()).isEqualTo(404);
        assertThat(task.get("Containers")).extracting(c -> c.get("Name").asText()).containsExactly("web");
        assertThat(get(web("t1")).get("DockerId").asText()).isEqualTo(WEB_ID);
    }

    @Test
    void statusesAreTheWordsOfEcsAgentsV4EndpointNoneCreatedRunningStopped() throws Exception {
        // Given: a task still creating its containers, one with all of them created, one stopping after it ran
        tasks.add(IntrospectionApiTest.task("creating", TaskStatus.RUNNING, TaskStatus.PENDING, null,
                IntrospectionApiTest.container("web", "w1", ContainerStatus.PENDING),
                IntrospectionApiTest.container("sidecar", null, ContainerStatus.PENDING)));
        tasks.add(IntrospectionApiTest.task("created", TaskStatus.RUNNING, TaskStatus.PENDING, null,
                IntrospectionApiTest.container("web", "w2", ContainerStatus.RUNNING),
                IntrospectionApiTest.container("sidecar", "s2", ContainerStatus.PENDING)));
        tasks.add(IntrospectionApiTest.task("stopping", TaskStatus.STOPPED, TaskStatus.STOPPING,
                IntrospectionApiTest.STARTED, IntrospectionApiTest.container("web", "w3", ContainerStatus.STOPPED),
                IntrospectionApiTest.container("sidecar", "s3", ContainerStatus.RUNNING)));

        // When
        JsonNode creating = get(web("creating") + "/task");
        JsonNode created = get(web("created") + "/task");
        JsonNode stopping = get(web("stopping") + "/task");

        // Then
        assertThat(creating.get("KnownStatus").asText()).isEqualTo("NONE");
        assertThat(creating.get("Containers").get(0).get("KnownStatus").asText()).isEqualTo("CREATED");
        assertThat(created.get("KnownStatus").asText()).isEqualTo("CREATED");
        assertThat(created.get("Containers")).extracting(c -> c.get("KnownStatus").asText())
                .containsExactly("RUNNING", "CREATED");
        assertThat(stopping.get("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(stopping.get("DesiredStatus").asText()).isEqualTo("STOPPED");
        assertThat(stopping.get("Containers")).extracting(c -> c.get("KnownStatus").asText())
                .containsExactly("STOPPED", "RUNNING");
    }

    @Test
    void aHealthNotKnownYetHasNoStatusAsEcsAgentsLeavesItOut() throws Exception {
        // Given: the web container's health check has not answered yet
        tasks.add(new TaskSnapshot(Fixtures.desired("t1", 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(new ContainerState("web", WEB_ID, "berth-test/busybox:latest",
                        ContainerStatus.RUNNING, null, null, List.of(), HealthStatus.UNKNOWN, null), null, null, null),
                new TaskSnapshot.Container(new ContainerState("sidecar", SIDECAR_ID, "berth-test/busybox:latest",
                        ContainerStatus.RUNNING, null, null, List.of(), HealthStatus.HEALTHY, null), null, null, null))));

        // When
        JsonNode web = get(web("t1"));
        JsonNode sidecar = get(api.endpoint("", "t1", "sidecar"));

        // Then
        assertThat(web.get("Health").has("status")).isFalse();
        assertThat(sidecar.get("Health").get("status").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void aContainerWhoseOwnStartIsNotKnownHasNoStartedAtRatherThanTheTasks() throws Exception {
        // Given: a running task (started at STARTED) whose containers' own times this agent has not seen
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));

        // When
        JsonNode container = get(web("t1"));

        // Then
        assertThat(container.has("StartedAt")).as(container.toString()).isFalse();
        assertThat(container.has("FinishedAt")).isFalse();
    }

    @Test
    void eachContainerHasItsOwnStartedAtAndOnceItExitedItsFinishedAt() throws Exception {
        // Given
        Instant webStarted = Instant.parse("2025-01-01T00:00:02Z");
        Instant sidecarStarted = Instant.parse("2025-01-01T00:00:03Z");
        Instant sidecarFinished = Instant.parse("2025-01-01T00:10:00Z");
        tasks.add(new TaskSnapshot(Fixtures.desired("t1", 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(IntrospectionApiTest.container("web", WEB_ID, ContainerStatus.RUNNING),
                        null, webStarted, null),
                new TaskSnapshot.Container(IntrospectionApiTest.container("sidecar", SIDECAR_ID,
                        ContainerStatus.STOPPED), null, sidecarStarted, sidecarFinished))));

        // When
        JsonNode task = get(web("t1") + "/task");

        // Then
        JsonNode web = task.get("Containers").get(0);
        JsonNode sidecar = task.get("Containers").get(1);
        assertThat(web.get("StartedAt").asText()).isEqualTo("2025-01-01T00:00:02Z");
        assertThat(web.has("FinishedAt")).isFalse();
        assertThat(sidecar.get("StartedAt").asText()).isEqualTo("2025-01-01T00:00:03Z");
        assertThat(sidecar.get("FinishedAt").asText()).isEqualTo("2025-01-01T00:10:00Z");
    }

    @Test
    void aContainerShowsWhenDockerCreatedItAndItsBindMountsAndVolumesAsEcsAgentsDo() throws Exception {
        // Given: web has a host path and a named volume mounted; the sidecar was not inspected yet
        Instant created = Instant.parse("2025-01-01T00:00:01.5Z");
        tasks.add(new TaskSnapshot(Fixtures.desired("t1", 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(IntrospectionApiTest.container("web", WEB_ID, ContainerStatus.RUNNING),
                        null, created, null, null, List.of(
                                new RuntimeContainer.Mount(null, "/srv/web/config", "/etc/web"),
                                new RuntimeContainer.Mount("berth-task-t1-data",
                                        "/var/lib/docker/volumes/berth-task-t1-data/_data", "/data"))),
                new TaskSnapshot.Container(IntrospectionApiTest.container("sidecar", SIDECAR_ID,
                        ContainerStatus.RUNNING), null, null, null))));

        // When
        JsonNode web = get(web("t1"));
        JsonNode sidecar = get(api.endpoint("", "t1", "sidecar") + "/task").get("Containers").get(1);

        // Then: a bind mount has no DockerName, a volume has its name and Docker's mountpoint as Source
        assertThat(web.get("CreatedAt").asText()).isEqualTo("2025-01-01T00:00:01.500Z");
        assertThat(web.get("Volumes")).hasSize(2);
        assertThat(web.get("Volumes").get(0).has("DockerName")).isFalse();
        assertThat(web.get("Volumes").get(0).get("Source").asText()).isEqualTo("/srv/web/config");
        assertThat(web.get("Volumes").get(0).get("Destination").asText()).isEqualTo("/etc/web");
        assertThat(web.get("Volumes").get(1).get("DockerName").asText()).isEqualTo("berth-task-t1-data");
        assertThat(web.get("Volumes").get(1).get("Source").asText())
                .isEqualTo("/var/lib/docker/volumes/berth-task-t1-data/_data");
        assertThat(web.get("Volumes").get(1).get("Destination").asText()).isEqualTo("/data");
        assertThat(sidecar.get("Name").asText()).isEqualTo("sidecar");
        assertThat(sidecar.has("CreatedAt")).as("omitted when not known, as ECS's agent does").isFalse();
        assertThat(sidecar.has("Volumes")).as("omitted when empty, as ECS's agent does").isFalse();
    }

    @Test
    void statsAreDockersOwnForTheContainerOrEveryContainerOfTheTask() throws Exception {
        // Given
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));

        // When
        JsonNode own = get(web("t1") + "/stats");
        JsonNode all = get(web("t1") + "/task/stats");

        // Then
        assertThat(own.get("id").asText()).isEqualTo(WEB_ID);
        assertThat(all.fieldNames()).toIterable().containsExactlyInAnyOrder(WEB_ID, SIDECAR_ID);
        assertThat(all.get(SIDECAR_ID).get("read").asText()).isEqualTo("2025-01-01T00:00:00Z");
    }

    @Test
    void aContainerWhoseStatsFailIsAnEmptyObjectAndTheOthersStatsStillComeBack() throws Exception {
        // Given: the engine does not answer for the sidecar's stats
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));
        TaskMetadataApi flaky = new TaskMetadataApi(tokens, new Arns("aws", "us-east-1", "000000000000"),
                () -> tasks, id -> {
                    if (id.equals(SIDECAR_ID)) {
                        throw dev.berth.agent.runtime.RuntimeError.DockerTimeoutError.because("stats: no answer");
                    }
                    return Optional.of("{\"id\":\"" + id + "\"}");
                });

        // When
        JsonApi.Reply reply = flaky.answer("GET", flaky.endpoint("", "t1", "web") + "/task/stats", null);

        // Then
        assertThat(reply.status()).isEqualTo(200);
        JsonNode all = mapper.readTree(reply.json());
        assertThat(all.get(WEB_ID).get("id").asText()).isEqualTo(WEB_ID);
        assertThat(all.get(SIDECAR_ID).isEmpty()).isTrue();
    }

    @Test
    void aContainerThatDoesNotRunHasNoStatsAndItsTaskStatsAreAnEmptyObject() throws Exception {
        // Given: the sidecar has exited
        tasks.add(IntrospectionApiTest.task("t1", TaskStatus.RUNNING, TaskStatus.RUNNING, IntrospectionApiTest.STARTED,
                IntrospectionApiTest.container("web", WEB_ID, ContainerStatus.RUNNING),
                IntrospectionApiTest.container("sidecar", SIDECAR_ID, ContainerStatus.STOPPED)));

        // When
        JsonApi.Reply own = api.answer("GET", api.endpoint("", "t1", "sidecar") + "/stats", null);
        JsonNode all = get(web("t1") + "/task/stats");

        // Then: as ECS's agent, whose stats engine stops watching a container when it stops
        assertThat(own.status()).as(own.json()).isEqualTo(500);
        assertThat(mapper.readTree(own.json()).get("Error").asText()).contains(SIDECAR_ID);
        assertThat(all.get(SIDECAR_ID).isEmpty()).isTrue();
        assertThat(all.get(WEB_ID).get("id").asText()).isEqualTo(WEB_ID);
        assertThat(statsAskedFor).containsExactly(WEB_ID);
    }

    @Test
    void aContainerDockerNoLongerHasKeepsItsKeyInTheTaskStats() throws Exception {
        // Given: Docker has no sidecar any more (removed since the last look)
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));
        TaskMetadataApi gone = new TaskMetadataApi(tokens, new Arns("aws", "us-east-1", "000000000000"),
                () -> tasks, id -> id.equals(SIDECAR_ID) ? Optional.empty() : Optional.of("{\"id\":\"" + id + "\"}"));

        // When
        JsonApi.Reply own = gone.answer("GET", gone.endpoint("", "t1", "sidecar") + "/stats", null);
        JsonApi.Reply all = gone.answer("GET", gone.endpoint("", "t1", "web") + "/task/stats", null);

        // Then
        assertThat(own.status()).isEqualTo(500);
        assertThat(mapper.readTree(all.json()).get(SIDECAR_ID).isEmpty()).isTrue();
    }

    @Test
    void anUnknownTokenOrAnotherSecretFindsNothing() {
        // Given
        tasks.add(IntrospectionApiTest.running("t1", WEB_ID, SIDECAR_ID));
        MetadataTokens otherHost = new MetadataTokens(new byte[] {1, 2, 3});

        // When
        JsonApi.Reply guessed = api.answer("GET", "/v4/" + otherHost.token("t1", "web") + "/task", null);
        JsonApi.Reply post = api.answer("POST", web("t1"), null);
        JsonApi.Reply gone = api.answer("GET", web("t2") + "/stats", null);

        // Then
        assertThat(guessed.status()).isEqualTo(404);
        assertThat(post.status()).isEqualTo(405);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(statsAskedFor).isEmpty();
        assertThat(tokens.token("t1", "web")).hasSize(32).isNotEqualTo(tokens.token("t1", "sidecar"))
                .isEqualTo(new MetadataTokens(new byte[32]).token("t1", "web"));
    }
}
