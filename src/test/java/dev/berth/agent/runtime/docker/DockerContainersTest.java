package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import dev.berth.agent.runtime.RuntimeContainer;
import dev.berth.model.ContainerStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Docker's inspect of a container, as the agent reads it. */
class DockerContainersTest {

    private static final String INSPECT = "{\"Id\":\"4f1c0a9e2b7d\",\"Name\":\"/berth-web-3-web-t1\","
            + "\"Image\":\"sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741\","
            + "\"State\":{\"Status\":\"exited\",\"Running\":false,\"ExitCode\":3,"
            + "\"StartedAt\":\"2025-01-01T00:00:02.5Z\",\"FinishedAt\":\"2025-01-01T00:10:00Z\"},"
            + "\"Config\":{\"Image\":\"berth-test/busybox:latest\",\"Labels\":{}}}";

    /** As Docker answers for a container with a host path bound and a named volume mounted. */
    private static final String INSPECT_WITH_MOUNTS = "{\"Id\":\"4f1c0a9e2b7d\",\"Name\":\"/berth-web-3-web-t1\","
            + "\"Created\":\"2025-01-01T00:00:01.123456789Z\","
            + "\"State\":{\"Status\":\"running\",\"Running\":true,\"StartedAt\":\"2025-01-01T00:00:02Z\"},"
            + "\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv/web/config\",\"Destination\":\"/etc/web\","
            + "\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"rprivate\"},"
            + "{\"Type\":\"volume\",\"Name\":\"berth-task-t1-data\","
            + "\"Source\":\"/var/lib/docker/volumes/berth-task-t1-data/_data\",\"Destination\":\"/data\","
            + "\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}],"
            + "\"Config\":{\"Image\":\"berth-test/busybox:latest\",\"Labels\":{}}}";

    private static InspectContainerResponse inspect(String json) throws Exception {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().build().getObjectMapper()
                .readValue(json, InspectContainerResponse.class);
    }

    @Test
    void aContainerCarriesItsImageByNameAndByIdAndItsTimes() throws Exception {
        // Given
        InspectContainerResponse inspect = inspect(INSPECT);

        // When
        RuntimeContainer container = DockerContainers.toRuntimeContainer(inspect);

        // Then
        assertThat(container.image()).isEqualTo("berth-test/busybox:latest");
        assertThat(container.imageId())
                .isEqualTo("sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741");
        assertThat(container.status()).isEqualTo(ContainerStatus.STOPPED);
        assertThat(container.startedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:02.5Z"));
        assertThat(container.finishedAt()).isEqualTo(Instant.parse("2025-01-01T00:10:00Z"));
    }

    @Test
    void aContainerCarriesWhenDockerCreatedItAndItsBindMountsAndVolumes() throws Exception {
        // Given
        InspectContainerResponse inspect = inspect(INSPECT_WITH_MOUNTS);

        // When
        RuntimeContainer container = DockerContainers.toRuntimeContainer(inspect);

        // Then
        assertThat(container.createdAt()).isEqualTo(Instant.parse("2025-01-01T00:00:01.123456789Z"));
        assertThat(container.mounts()).containsExactly(
                new RuntimeContainer.Mount(null, "/srv/web/config", "/etc/web"),
                new RuntimeContainer.Mount("berth-task-t1-data", "/var/lib/docker/volumes/berth-task-t1-data/_data",
                        "/data"));
    }

    @Test
    void aContainerWithoutMountsHasNone() throws Exception {
        // Given: Docker's inspect without Mounts or Created
        InspectContainerResponse inspect = inspect(INSPECT);

        // When
        RuntimeContainer container = DockerContainers.toRuntimeContainer(inspect);

        // Then
        assertThat(container.mounts()).isEmpty();
        assertThat(container.createdAt()).isNull();
    }
}
