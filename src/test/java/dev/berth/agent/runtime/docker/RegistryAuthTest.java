package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls authenticate with the {@code auths} of the Docker config file the agent's client is
 * configured with ({@code $DOCKER_CONFIG/config.json}, as {@code docker login} writes it):
 * docker-java's pull command takes the effective credentials of the image's registry.
 */
class RegistryAuthTest {

    @Test
    void theRegistryOfTheImageSelectsItsCredentialsFromTheDockerConfigFile(@TempDir Path dir) throws Exception {
        // Given
        String auth = Base64.getEncoder().encodeToString("berth:s3cret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + auth
                + "\"}}}");
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").withDockerConfig(dir.toString()).build();

        // When
        AuthConfig credentials = config.effectiveAuthConfig("registry.example.com/team/app:1");
        AuthConfig elsewhere = config.effectiveAuthConfig("other.example.com/app:1");

        // Then
        assertThat(credentials.getUsername()).isEqualTo("berth");
        assertThat(credentials.getPassword()).isEqualTo("s3cret");
        assertThat(elsewhere == null ? null : elsewhere.getUsername()).isNull();
    }
}
