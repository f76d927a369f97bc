package dev.berth.agent.introspection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.agent.Fixtures;
import dev.berth.agent.engine.TaskSnapshot;
import dev.berth.model.ContainerStatus;
import dev.berth.model.NetworkBinding;
import dev.berth.model.TaskStatus;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ContainerState;
import dev.berth.protocol.TaskStateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The introspection API's answers, in the ECS agent's shapes, from a fake view of the engine. */
class IntrospectionApiTest {

    static final String ARN = "arn:aws:ecs:us-east-1:000000000000:container-instance/default/" + Fixtures.INSTANCE;
    static final String WEB_ID = "4f1c0a9e2b7d6c5e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e";
    static final String SIDECAR_ID = "4f1c0a9e2b9999999999999999999999999999999999999999999999999999ff";

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<TaskSnapshot> tasks = new ArrayList<>();
    private final IntrospectionApi api = new IntrospectionApi(
            new AgentMetadata("default", ARN, "Berth Agent - v0.1.0 (1a2b3c4d5e6f)"), () -> tasks);

    static final Instant STARTED = Instant.parse("2025-01-01T00:00:01Z");

    static TaskSnapshot running(String taskId, String webId, String sidecarId) {
        return task(taskId, TaskStatus.RUNNING, TaskStatus.RUNNING, STARTED,
                new ContainerState("web", webId, "berth-test/busybox:latest", ContainerStatus.RUNNING, null,
                        null, List.of(new NetworkBinding("0.0.0.0", 8080, 32768, "tcp"))),
                container("sidecar", sidecarId, ContainerStatus.RUNNING));
    }

    /** A task wanted {@code desired} and last reported {@code known}; {@code startedAt} is set once it ran. */
    static TaskSnapshot task(String taskId, TaskStatus desired, TaskStatus known, Instant startedAt,
            ContainerState... containers) {
        TaskStateChange change = new TaskStateChange(BerthRecord.SCHEMA_VERSION, 2, taskId, "default",
                Fixtures.INSTANCE, known, List.of(containers), null, null, null, null, startedAt, null, null, null);
        return new TaskSnapshot(Fixtures.desired(taskId, 1, desired), change,
                change.containers().stream().map(c -> new TaskSnapshot.Container(c, null, null, null)).toList());
    }

    static ContainerState container(String name, String runtimeId, ContainerStatus status) {
        return new ContainerState(name, runtimeId, "berth-test/busybox:latest", status, null, null, List.of());
    }

    static TaskSnapshot provisioning(String taskId) {
        return new TaskSnapshot(Fixtures.desired(taskId, 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(container("web", null, ContainerStatus.PENDING), null, null, null),
                new TaskSnapshot.Container(container("sidecar", null, ContainerStatus.PENDING), null, null, null)));
    }

    private JsonNode json(IntrospectionApi.Reply reply) throws Exception {
        return mapper.readTree(reply.json());
    }

    @Test
    void metadataNamesTheClusterTheInstanceArnAndTheVersion() throws Exception {
        // Given: the API

        // When
        IntrospectionApi.Reply reply = api.answer("GET", "/v1/metadata", null);

        // Then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply)).isEqualTo(mapper.readTree("{\"Cluster\":\"default\",\"ContainerInstanceArn\":\""
                + ARN + "\",\"Version\":\"Berth Agent - v0.1.0 (1a2b3c4d5e6f)\"}"));
    }

    @Test
    void theRootListsTheCommandsAsEcsAgentsDo() throws Exception {
        IntrospectionApi.Reply reply = api.answer("GET", "/", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply)).isEqualTo(mapper.readTree("{\"AvailableCommands\":[\"/v1/metadata\",\"/v1/tasks\"]}"));
    }

    @Test
    void tasksListsEveryTaskWithItsStatusesAndContainers() throws Exception {
        // Given
        tasks.add(running("t1", WEB_ID, SIDECAR_ID));
        tasks.add(provisioning("t2"));

        // When
        IntrospectionApi.Reply reply = api.answer("GET", "/v1/tasks", null);

        // Then
        assertThat(reply.status()).isEqualTo(200);
        JsonNode list = json(reply).get("Tasks");
        assertThat(list).hasSize(2);
        JsonNode t1 = list.get(0);
        assertThat(t1.get("Arn").asText()).isEqualTo("arn:aws:ecs:us-east-1:000000000000:task/default/t1");
        assertThat(t1.get("DesiredStatus").asText()).isEqualTo("RUNNING");
        assertThat(t1.get("KnownStatus").asText()).isEqualTo("RUNNING");
        assertThat(t1.get("Family").asText()).isEqualTo("web");
        assertThat(t1.get("Version").asText()).isEqualTo("3");
        assertThat(t1.get("Containers").get(0)).isEqualTo(mapper.readTree("{\"DockerId\":\"" + WEB_ID
                + "\",\"DockerName\":\"berth-web-3-web-t1\",\"Name\":\"web\",\"Image\":\"berth-test/busybox:latest\","
                + "\"ImageID\":\"\",\"Ports\":[{\"ContainerPort\":8080,\"Protocol\":\"tcp\",\"HostPort\":32768}]}"));
        assertThat(t1.get("Containers").get(1).get("Name").asText()).isEqualTo("sidecar");
        JsonNode t2 = list.get(1);
        assertThat(t2.get("KnownStatus").asText()).as("ECS's agent's backend status").isEqualTo("PENDING");
        assertThat(t2.get("Containers")).as("a container shows once Docker has it").isEmpty();
    }

    @Test
    void statusesAreTheOnesEcsAgentsSendPendingRunningOrStopped() throws Exception {
        // Given: a task stopping after it ran, one stopping before it ran, and one that stopped
        // though it is still wanted RUNNING (its essential container exited)
        tasks.add(task("ran", TaskStatus.STOPPED, TaskStatus.STOPPING, STARTED,
                container("web", WEB_ID, ContainerStatus.RUNNING)));
        tasks.add(task("never-ran", TaskStatus.STOPPED, TaskStatus.STOPPING, null,
                container("web", SIDECAR_ID, ContainerStatus.RUNNING)));
        tasks.add(task("exited", TaskStatus.RUNNING, TaskStatus.STOPPED, STARTED,
                container("web", "e1", ContainerStatus.STOPPED)));

        // When
        JsonNode list = json(api.answer("GET", "/v1/tasks", null)).get("Tasks");

        // Then
        assertThat(list).extracting(t -> t.get("KnownStatus").asText()).containsExactly("RUNNING", "PENDING",
                "STOPPED");
        assertThat(list.get(0).get("DesiredStatus").asText()).isEqualTo("STOPPED");
        assertThat(list.get(2).has("DesiredStatus")).as("ECS leaves out a desired status a stopped task never reaches")
                .isFalse();
    }

    @Test
    void aContainerShowsWhenDockerCreatedItAndItsVolumesAsEcsAgentsDo() throws Exception {
        // Given: a container Docker created at a known time, with a bind mount and a named volume
        Instant created = Instant.parse("2025-01-01T00:00:00.250Z");
        ContainerState web = container("web", WEB_ID, ContainerStatus.RUNNING);
        tasks.add(new TaskSnapshot(Fixtures.desired("t1", 1, TaskStatus.RUNNING), null, List.of(
                new TaskSnapshot.Container(web, "sha256:abc", created, STARTED, null, List.of(
                        new dev.berth.agent.runtime.RuntimeContainer.Mount(null, "/srv/config", "/config"),
                        new dev.berth.agent.runtime.RuntimeContainer.Mount("berth-t1-data",
                                "/var/lib/docker/volumes/berth-t1-data/_data", "/data"))))));

        // When
        JsonNode container = json(api.answer("GET", "/v1/tasks", null)).get("Tasks").get(0).get("Containers").get(0);

        // Then
        assertThat(container.get("CreatedAt").asText()).isEqualTo("2025-01-01T00:00:00.250Z");
        assertThat(container.get("Volumes").toString()).isEqualTo("[{\"Source\":\"/srv/config\",\"Destination\":"
                + "\"/config\"},{\"DockerName\":\"berth-t1-data\",\"Source\":"
                + "\"/var/lib/docker/volumes/berth-t1-data/_data\",\"Destination\":\"/data\"}]");
    }

    @Test
    void aContainerWithARestartPolicyShowsItsRestartCount() throws Exception {
        // Given: the web container restarted twice in place; the sidecar has no restart policy
        tasks.add(task("t1", TaskStatus.RUNNING, TaskStatus.RUNNING, STARTED,
                new ContainerState("web", WEB_ID, "berth-test/busybox:latest", ContainerStatus.RUNNING, null, null,
                        List.of(), null, 2),
                container("sidecar", SIDECAR_ID, ContainerStatus.RUNNING)));

        // When
        JsonNode containers = json(api.answer("GET", "/v1/tasks", null)).get("Tasks").get(0).get("Containers");

        // Then
        assertThat(containers.get(0).get("RestartCount").asInt()).isEqualTo(2);
        assertThat(containers.get(1).has("RestartCount")).isFalse();
    }

    @Test
    void oneTaskByItsArn() throws Exception {
        // Given
        tasks.add(running("t1", WEB_ID, SIDECAR_ID));
        tasks.add(provisioning("t2"));

        // When
        IntrospectionApi.Reply reply = api.answer("GET", "/v1/tasks",
                "taskarn=arn%3Aaws%3Aecs%3Aus-east-1%3A000000000000%3Atask%2Fdefault%2Ft2");

        // Then
        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).get("Arn").asText()).endsWith("/t2");
        assertThat(json(reply).has("Tasks")).isFalse();
    }

    @Test
    void oneTaskByTheDockerIdOfAnyOfItsContainersOrAUniquePrefix() throws Exception {
        // Given
        tasks.add(provisioning("t0"));
        tasks.add(running("t1", WEB_ID, SIDECAR_ID));

        // When
        IntrospectionApi.Reply full = api.answer("GET", "/v1/tasks", "dockerid=" + SIDECAR_ID);
        IntrospectionApi.Reply shortId = api.answer("GET", "/v1/tasks", "dockerid=" + WEB_ID.substring(0, 12));
        IntrospectionApi.Reply ambiguous = api.answer("GET", "/v1/tasks", "dockerid=4f1c0a9e2b");

        // Then
        assertThat(json(full).get("Arn").asText()).endsWith("/t1");
        assertThat(json(shortId).get("Arn").asText()).endsWith("/t1");
        assertThat(ambiguous.status()).isEqualTo(400);
    }

    @Test
    void unknownTasksPathsAndMethodsAreRefused() {
        // Given
        tasks.add(running("t1", WEB_ID, SIDECAR_ID));

        // When
        IntrospectionApi.Reply unknownArn = api.answer("GET", "/v1/tasks", "taskarn=arn:aws:ecs:x:y:task/default/nope");
        IntrospectionApi.Reply unknownDocker = api.answer("GET", "/v1/tasks", "dockerid=ffff");
        IntrospectionApi.Reply both = api.answer("GET", "/v1/tasks", "taskarn=a&dockerid=b");
        IntrospectionApi.Reply path = api.answer("GET", "/v2/metadata", null);
        IntrospectionApi.Reply post = api.answer("POST", "/v1/tasks", null);

        // Then
        assertThat(unknownArn.status()).isEqualTo(404);
        assertThat(unknownDocker.status()).isEqualTo(404);
        assertThat(both.status()).isEqualTo(400);
        assertThat(path.status()).isEqualTo(404);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.json()).contains("\"Error\"");
    }
}
