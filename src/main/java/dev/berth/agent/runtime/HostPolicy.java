package dev.berth.agent.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What this host lets a task do beyond an ordinary container: run privileged (refused when
 * {@code ECS_DISABLE_PRIVILEGED} is true) and bind-mount host directories (only under the
 * allowed paths). Pure.
 *
 * @param privilegedDisabled  whether {@code privileged: true} is refused
 * @param hostPathsAllowed    absolute directories under which host paths may be mounted; empty
 *                            refuses every host path
 */
public record HostPolicy(boolean privilegedDisabled, List<Path> hostPathsAllowed) {

    /** Nothing beyond ordinary containers: no privileged container, no host path. */
    public static final HostPolicy STRICT = new HostPolicy(true, List.of());

    public HostPolicy {
        hostPathsAllowed = hostPathsAllowed.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Why this host refuses the container, or empty when it may run. */
    public Optional<String> refusal(ContainerSpec spec) {
        if (spec.host().settings().isPrivileged() && privilegedDisabled) {
            return Optional.of("privileged containers are disabled on this host (ECS_DISABLE_PRIVILEGED)");
        }
        for (VolumeMount mount : spec.host().mounts()) {
            if (mount.kind() == VolumeMount.Kind.HOST_PATH && !allowed(mount.source())) {
                return Optional.of("host path " + mount.source() + " is not under an allowed host path of this host"
                        + " (BERTH_AGENT_HOST_PATHS_ALLOWED: " + hostPathsAllowed + ")");
            }
        }
        return Optional.empty();
    }

    private boolean allowed(String source) {
        Path path = Path.of(source);
        if (!path.isAbsolute()) {
            return false;
        }
        Path normal = path.normalize();
        return hostPathsAllowed.stream().anyMatch(normal::startsWith);
    }
}
