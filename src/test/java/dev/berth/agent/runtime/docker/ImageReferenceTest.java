package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void anImageNamedByDigestIsPulledWithTheDigestAsItsTagAsTheDockerCliSendsIt() {
        // When
        ImageReference pinned = ImageReference.parse("registry.example.com:5000/team/app@" + DIGEST);
        ImageReference both = ImageReference.parse("busybox:1.36@" + DIGEST);

        // Then
        assertThat(pinned.fromImage()).isEqualTo("registry.example.com:5000/team/app");
        assertThat(pinned.tag()).isEqualTo(DIGEST);
        assertThat(both.fromImage()).isEqualTo("busybox");
        assertThat(both.tag()).as("the digest wins over the tag, as in Docker").isEqualTo(DIGEST);
    }

    @Test
    void dockerHubsHostNamesAreDroppedAsDockerDropsThemAndOtherRegistriesKept() {
        assertThat(ImageReference.parse("index.docker.io/acme/app:1"))
                .isEqualTo(new ImageReference("docker.io", "acme/app", "1"));
        assertThat(ImageReference.parse("docker.io/library/busybox").fromImage()).isEqualTo("library/busybox");
        assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("docker.io", "busybox", "latest"));
        assertThat(ImageReference.parse("localhost/app:2").fromImage()).isEqualTo("localhost/app");
        assertThat(ImageReference.parse("registry:5000/app").registry()).isEqualTo("registry:5000");
        assertThat(ImageReference.parse("acme/app:1.2").fromImage()).isEqualTo("acme/app");
    }
}
