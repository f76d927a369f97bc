package dev.berth.agent.runtime;

import java.util.List;
import java.util.Locale;

/**
 * An image as the engine lists it: its id and the references that name it
 * ({@code repository:tag}, as Docker's RepoTags spell them, and {@code repository@sha256:...},
 * as its RepoDigests do: an image pulled by digest has no tag).
 */
public record RuntimeImage(String id, List<String> tags, List<String> digests) {

    public RuntimeImage {
        tags = tags == null ? List.of() : List.copyOf(tags);
        digests = digests == null ? List.of() : List.copyOf(digests);
    }

    /** An image named by tags only. */
    public RuntimeImage(String id, List<String> tags) {
        this(id, tags, List.of());
    }

    /** Whether {@code reference}, as a task definition writes it, names this image. */
    public boolean isNamedBy(String reference) {
        String normalized = normalize(reference);
        return tags.contains(normalized) || digests.contains(normalized);
    }

    /**
     * A reference as the engine lists it: Docker Hub's implicit registry and library
     * dropped, {@code :latest} added when there is no tag ({@code docker.io/library/busybox}
     * is {@code busybox:latest}). A digest reference is left as it is.
     */
    public static String normalize(String reference) {
        String ref = reference.strip();
        for (String hub : List.of("docker.io/library/", "index.docker.io/library/", "docker.io/",
                "index.docker.io/")) {
            if (ref.toLowerCase(Locale.ROOT).startsWith(hub)) {
                ref = ref.substring(hub.length());
                break;
            }
        }
        if (ref.contains("@")) {
            return ref;
        }
        return ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref : ref + ":latest";
    }
}
