package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls authenticate with the {@code auths} of the Docker config file the agent's client is
 * configured with ({@code $DOCKER_CONFIG/config.json}, as {@code docker login} writes it),
 * chosen by the image's registry; Docker Hub's, stored under {@code https://index.docker.io/v1/},
 * by every name of Docker Hub, as ECS's agent chooses them.
 */
class RegistryAuthTest {

    private static final Pattern REGISTRY_AUTH = Pattern.compile("(?im)^X-Registry-Auth:\\s*(\\S+)\\s*$");

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static DefaultDockerClientConfig config(Path dir, String host) {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host)
                .withDockerConfig(dir.toString()).build();
    }

    @Test
    void theRegistryOfTheImageSelectsItsCredentialsFromTheDockerConfigFile(@TempDir Path dir) throws Exception {
        // Given
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"registry.example.com\":{\"auth\":\""
                + auth("berth", "s3cret") + "\"}}}");
        RegistryAuth auth = RegistryAuth.of(config(dir, "unix:///var/run/docker.sock"));

        // When
        AuthConfig credentials = auth.forImage(ImageReference.parse("registry.example.com/team/app:1"));
        AuthConfig elsewhere = auth.forImage(ImageReference.parse("other.example.com/app:1"));
        AuthConfig hub = auth.forImage(ImageReference.parse("acme/app:1"));

        // Then
        assertThat(credentials.getUsername()).isEqualTo("berth");
        assertThat(credentials.getPassword()).isEqualTo("s3cret");
        assertThat(elsewhere).isNull();
        assertThat(hub).isNull();
        assertThat(auth.helpersNotRun()).isEmpty();
    }

    @Test
    void aPullFromDockerHubByAnyOfItsNamesLogsInWithTheCredentialsDockerLoginStored(@TempDir Path dir)
            throws Exception {
        // Given: docker login's Docker Hub entry, and an engine that takes any pull
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + auth("acme", "hub-token") + "\"}}}");
        List<String> images = List.of("acme/private:1", "docker.io/acme/private:1",
                "index.docker.io/acme/private:1", "registry-1.docker.io/acme/private:1");
        try (ScriptedDockerEngine engine = ScriptedDockerEngine.answering(200, "{\"status\":\"Downloaded\"}");
                DockerContainerRuntime runtime = DockerContainerRuntime.connect(config(dir, engine.host()),
                        Duration.ofSeconds(5), Duration.ofSeconds(5), 2)) {

            // When
            for (String image : images) {
                runtime.pull(image);
            }

            // Then
            assertThat(engine.requests()).hasSize(images.size());
            for (int i = 0; i < images.size(); i++) {
                assertThat(sentCredentials(engine.requests().get(i))).as(images.get(i))
                        .contains("\"username\":\"acme\"").contains("\"password\":\"hub-token\"");
            }
        }
    }

    @Test
    void credentialHelpersTheConfigFileNamesAreReportedAsNotRun(@TempDir Path dir) throws Exception {
        // Given
        Files.writeString(dir.resolve("config.json"), "{\"auths\":{},\"credsStore\":\"desktop\","
                + "\"credHelpers\":{\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\":\"ecr-login\"}}");

        // When
        RegistryAuth auth = RegistryAuth.of(config(dir, "unix:///var/run/docker.sock"));

        // Then
        assertThat(auth.helpersNotRun()).containsExactly("credsStore: desktop",
                "credHelpers: 123456789012.dkr.ecr.eu-west-1.amazonaws.com");
    }

    /** The JSON of the X-Registry-Auth header of {@code request}, empty when it has none. */
    private static String sentCredentials(String request) {
        Matcher header = REGISTRY_AUTH.matcher(request);
        return header.find() ? new String(Base64.getUrlDecoder().decode(header.group(1)), StandardCharsets.UTF_8) : "";
    }
}
