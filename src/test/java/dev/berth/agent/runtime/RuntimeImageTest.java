package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeImageTest {

    @Test
    void anImagePulledByDigestIsNamedByItsDigestThoughItHasNoTag() {
        // Given: as Docker lists an image pulled as busybox@sha256:...: no RepoTags, one RepoDigest
        String digest = "sha256:" + "a".repeat(64);
        RuntimeImage pinned = new RuntimeImage("sha256:1", List.of(), List.of("busybox@" + digest));

        // Then: the image cleanup finds it by the reference the task definition wrote
        assertThat(pinned.isNamedBy("busybox@" + digest)).isTrue();
        assertThat(pinned.isNamedBy("docker.io/library/busybox@" + digest)).isTrue();
        assertThat(pinned.isNamedBy("busybox:latest")).isFalse();
    }

    @Test
    void anImageIsNamedByItsTagsAsATaskDefinitionWritesThem() {
        RuntimeImage tagged = new RuntimeImage("sha256:2", List.of("busybox:latest", "registry.example.com/app:1"));

        assertThat(tagged.isNamedBy("busybox")).isTrue();
        assertThat(tagged.isNamedBy("docker.io/library/busybox:latest")).isTrue();
        assertThat(tagged.isNamedBy("registry.example.com/app:1")).isTrue();
        assertThat(tagged.isNamedBy("registry.example.com/app:2")).isFalse();
    }
}
