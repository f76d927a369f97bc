package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.runtime.ImageDisk;
import dev.berth.agent.runtime.RuntimeImage;
import dev.berth.testing.DockerCli;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image side of the Docker runtime against the real engine: an image of this test's own
 * (committed from a container of {@code berth-test/busybox:latest}, so removing it never
 * touches the shared test image), a container of someone else's that uses it, and the disk.
 */
class DockerImagesIT {

    private static final String BASE = "berth-test/busybox:latest";
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String USER = "berth-it-images-user-" + SUFFIX;

    private static DockerContainerRuntime runtime;

    @BeforeAll
    static void connect() {
        String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        runtime = DockerContainerRuntime.connect(host, Duration.ofSeconds(20), Duration.ofSeconds(30));
    }

    @AfterAll
    static void cleanUp() {
        DockerCli.run("rm", "-f", USER);
        for (String test : new String[] {"in-use", "unused"}) {
            if (!DockerCli.words("images", "-q", image(test)).isEmpty()) {
                DockerCli.run("rmi", image(test));
            }
        }
        runtime.close();
    }

    private static String image(String test) {
        return "berth-it/images-" + test + "-" + SUFFIX + ":1";
    }

    /** An image of this test's own: a layer committed on top of the shared base. */
    private static String ownImage(String test) {
        String source = "berth-it-images-source-" + test + "-" + SUFFIX;
        DockerCli.run("create", "--name", source, BASE, "true");
        DockerCli.run("commit", source, image(test));
        DockerCli.run("rm", source);
        return image(test);
    }

    @Test
    void anImageAContainerUsesIsListedInUseAndTheEngineRefusesToRemoveIt() throws Exception {
        // Given: a container that is not Berth's, never started, uses the image
        String image = ownImage("in-use");
        DockerCli.run("create", "--name", USER, image, "true");
        String id = DockerCli.run("image", "inspect", "-f", "{{.Id}}", image);

        // When
        boolean removed = runtime.removeImage(image);

        // Then
        assertThat(runtime.images()).filteredOn(listed -> listed.isNamedBy(image)).singleElement()
                .extracting(RuntimeImage::id).isEqualTo(id);
        assertThat(runtime.imagesInUse()).contains(id);
        assertThat(removed).isFalse();
        assertThat(DockerCli.words("images", "-q", image)).isNotEmpty();
        assertThat(DockerCli.words("ps", "-aq", "--filter", "name=" + USER)).isNotEmpty();
    }

    @Test
    void anUnusedImageIsRemovedByItsReferenceAndTheSharedBaseStays() throws Exception {
        // Given
        String image = ownImage("unused");

        // When
        boolean removed = runtime.removeImage(image);
        boolean again = runtime.removeImage(image);

        // Then
        assertThat(removed).isTrue();
        assertThat(again).as("a reference already gone is done").isTrue();
        assertThat(DockerCli.words("images", "-q", image)).isEmpty();
        assertThat(DockerCli.words("images", "-q", BASE)).isNotEmpty();
    }

    @Test
    void theImageDiskIsTheFilesystemOfTheEnginesDataRoot() throws Exception {
        // When
        ImageDisk disk = runtime.imageDisk().orElseThrow();

        // Then
        assertThat(disk.totalBytes()).isPositive();
        assertThat(disk.usedBytes()).isPositive().isLessThanOrEqualTo(disk.totalBytes());
        assertThat(disk.usedPercent()).isBetween(0.0, 100.0);
    }
}
