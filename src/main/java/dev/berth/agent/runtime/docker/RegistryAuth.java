package dev.berth.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerConfigFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The credentials a pull logs in with: the {@code auths} of the Docker config file
 * ({@code $DOCKER_CONFIG/config.json}, as {@code docker login} writes it), found by the
 * image's registry. Docker Hub's are stored under {@code https://index.docker.io/v1/}, and
 * serve every name of Docker Hub, as ECS's agent takes them: an image without a registry and
 * one on {@code docker.io}, {@code index.docker.io} or {@code registry-1.docker.io}.
 * docker-java matches host names exactly, so it would pull those anonymously.
 */
final class RegistryAuth {

    private static final Logger LOGGER = Logger.getLogger(RegistryAuth.class);
    private static final String CONFIG_FILE = "config.json";
    private static final Set<String> DOCKER_HUB_HOSTS = Set.of(ImageReference.DOCKER_HUB, "index.docker.io",
            "registry-1.docker.io");
    /** The key under which {@code docker login} stores Docker Hub's credentials, before and after its scheme. */
    private static final List<String> DOCKER_HUB_KEYS = List.of(AuthConfig.DEFAULT_SERVER_ADDRESS, "index.docker.io");
    /** What the Docker config file may name for the CLI to run: Berth runs neither. */
    private static final List<String> HELPER_FIELDS = List.of("credsStore", "credHelpers");

    private final DockerConfigFile file;
    private final List<String> helpersNotRun;

    private RegistryAuth(DockerConfigFile file, List<String> helpersNotRun) {
        this.file = file;
        this.helpersNotRun = List.copyOf(helpersNotRun);
    }

    /** The credentials of {@code config}'s Docker config file; a WARN names the credential helpers not run. */
    static RegistryAuth of(DefaultDockerClientConfig config) {
        Path path = config.getDockerConfigPath() == null ? null : Path.of(config.getDockerConfigPath(), CONFIG_FILE);
        RegistryAuth auth = new RegistryAuth(config.getDockerConfig(), helpersIn(path));
        if (!auth.helpersNotRun.isEmpty()) {
            LOGGER.warnf("The Docker config file %s names %s; Berth does not run credential helpers, so pulls use"
                    + " only the file's auths (anonymous for a registry it has none for)", path,
                    String.join(", ", auth.helpersNotRun));
        }
        return auth;
    }

    /** The credentials for {@code image}'s registry; null to pull anonymously. */
    AuthConfig forImage(ImageReference image) {
        if (DOCKER_HUB_HOSTS.contains(image.registry())) {
            for (String key : DOCKER_HUB_KEYS) {
                AuthConfig hub = file.resolveAuthConfig(key);
                if (hub != null) {
                    return hub;
                }
            }
            return null;
        }
        return file.resolveAuthConfig(image.registry());
    }

    /** The credential helpers the config file names ({@code credsStore: desktop}, {@code credHelpers: <registry>}). */
    List<String> helpersNotRun() {
        return helpersNotRun;
    }

    private static List<String> helpersIn(Path path) {
        List<String> helpers = new ArrayList<>();
        if (path == null || !Files.isRegularFile(path)) {
            return helpers;
        }
        JsonNode root;
        try {
            root = DockerClientConfig.getDefaultObjectMapper().readTree(path.toFile());
        } catch (IOException e) {
            // docker-java has read the same file for its auths, and says so if it cannot.
            LOGGER.debugf("Reading %s for credential helpers: %s", path, e.getMessage());
            return helpers;
        }
        JsonNode store = root.path(HELPER_FIELDS.get(0));
        if (store.isTextual() && !store.asText().isBlank()) {
            helpers.add(HELPER_FIELDS.get(0) + ": " + store.asText());
        }
        for (Iterator<String> registries = root.path(HELPER_FIELDS.get(1)).fieldNames(); registries.hasNext(); ) {
            helpers.add(HELPER_FIELDS.get(1) + ": " + registries.next());
        }
        return helpers;
    }
}
