package dev.berth.agent.runtime.docker;

/**
 * An image as a task definition names it, {@code [registry/]repository[:tag][@digest]}, read
 * as Docker reads it: the registry is the first component when that has a dot or a colon or
 * is {@code localhost}, else Docker Hub; {@code index.docker.io} is Docker Hub's old name.
 * A pull asks the engine for {@link #fromImage()} at {@link #tag()}, as the Docker CLI does:
 * an image named by digest is pulled with the digest as its tag, which the engine takes for
 * a digest.
 *
 * @param registry   the registry's host ({@code docker.io} for Docker Hub)
 * @param repository the repository inside the registry
 * @param tag        the digest when there is one ({@code sha256:...}), else the tag, else {@code latest}
 */
record ImageReference(String registry, String repository, String tag) {

    static final String DOCKER_HUB = "docker.io";
    /** Docker Hub's former name, which Docker still takes for {@link #DOCKER_HUB}. */
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String DEFAULT_TAG = "latest";

    static ImageReference parse(String image) {
        String name = image.strip();
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : first;
                name = name.substring(slash + 1);
            }
        }
        return new ImageReference(registry, name, digest != null ? digest : tag != null ? tag : DEFAULT_TAG);
    }

    /** The repository as a pull names it: on Docker Hub without the registry, as the Docker CLI sends it. */
    String fromImage() {
        return registry.equals(DOCKER_HUB) ? repository : registry + "/" + repository;
    }
}
