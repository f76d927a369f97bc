package dev.berth.agent.runtime;

import dev.berth.model.ContainerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What this host lets a task do beyond an ordinary container: run privileged, or with what
 * owns the host as surely (refused when {@code ECS_DISABLE_PRIVILEGED} is true), and
 * bind-mount host directories (only under the allowed paths, as they really are on the host:
 * {@link HostPaths}).
 *
 * <p>With privileged containers disabled, these are refused by name too, since each is a
 * step to root on the host ({@code nsenter -t 1}, a kernel module, a mount of the host's
 * disk): a capability beyond Docker's default set, a security option that lifts the
 * container's AppArmor, seccomp or SELinux confinement or unmasks {@code /proc} and
 * {@code /sys}, and the host's PID or IPC namespace.
 *
 * @param privilegedDisabled  whether {@code privileged: true} and the host-owning settings above
 *                            are refused
 * @param hostPathsAllowed    absolute directories under which host paths may be mounted; empty
 *                            refuses every host path
 */
public record HostPolicy(boolean privilegedDisabled, List<Path> hostPathsAllowed) {

    /** Nothing beyond ordinary containers: no privileged container or the like, no host path. */
    public static final HostPolicy STRICT = new HostPolicy(true, List.of());

    /** Docker's default capability set (moby's {@code oci/caps/defaults.go}): adding one of these changes nothing. */
    private static final Set<String> DOCKER_DEFAULT_CAPABILITIES = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID",
            "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT",
            "KILL", "AUDIT_WRITE");

    /** SELinux process types that are not confined: {@code label=type:spc_t} is as good as {@code label=disable}. */
    private static final Set<String> UNCONFINED_SELINUX_TYPES = Set.of("type:spc_t", "type:unconfined_t");

    private static final String WHILE_PRIVILEGED_DISABLED =
            "; refused while privileged containers are disabled on this host (ECS_DISABLE_PRIVILEGED)";

    public HostPolicy {
        hostPathsAllowed = hostPathsAllowed.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Whether this host runs a container, and then as what. */
    public sealed interface Admission {

        /** It may run as {@code spec}: each host path replaced by where it really is on the host ({@link HostPaths}). */
        record Admitted(ContainerSpec spec) implements Admission {
        }

        record Refused(String reason) implements Admission {
        }
    }

    /** Whether this host runs the container: with its host paths resolved, or refused with the reason. */
    public Admission admit(ContainerSpec spec) {
        if (spec.host().settings().isPrivileged() && privilegedDisabled) {
            return new Admission.Refused("privileged containers are disabled on this host (ECS_DISABLE_PRIVILEGED)");
        }
        if (privilegedDisabled) {
            Optional<String> owner = hostOwner(spec.host());
            if (owner.isPresent()) {
                return new Admission.Refused(owner.get() + WHILE_PRIVILEGED_DISABLED);
            }
        }
        List<VolumeMount> mounts = new ArrayList<>();
        for (VolumeMount mount : spec.host().mounts()) {
            if (mount.kind() != VolumeMount.Kind.HOST_PATH) {
                mounts.add(mount);
                continue;
            }
            HostPaths.Resolution resolution = HostPaths.resolve(mount.source(), hostPathsAllowed);
            if (resolution instanceof HostPaths.Resolution.Refused refused) {
                return new Admission.Refused(refused.reason());
            }
            String resolved = ((HostPaths.Resolution.Allowed) resolution).path();
            mounts.add(new VolumeMount(mount.kind(), resolved, mount.containerPath(), mount.readOnly()));
        }
        return new Admission.Admitted(spec.withHost(spec.host().withMounts(mounts)));
    }

    /** Why this host refuses the container, or empty when it may run. */
    public Optional<String> refusal(ContainerSpec spec) {
        return admit(spec) instanceof Admission.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }

    /** What in {@code host} gives the container the host as {@code privileged} would, or empty. */
    private static Optional<String> hostOwner(HostSettings host) {
        if ("host".equals(host.pidMode())) {
            return Optional.of("pidMode host shares the host's processes");
        }
        if ("host".equals(host.ipcMode())) {
            return Optional.of("ipcMode host shares the host's IPC namespace");
        }
        ContainerSettings settings = host.settings();
        if (settings.linuxParameters() != null && settings.linuxParameters().capabilities() != null
                && settings.linuxParameters().capabilities().add() != null) {
            for (String added : settings.linuxParameters().capabilities().add()) {
                String name = capabilityName(added);
                if (!DOCKER_DEFAULT_CAPABILITIES.contains(name)) {
                    return Optional.of("linuxParameters.capabilities.add " + name
                            + " goes beyond Docker's default capabilities");
                }
            }
        }
        for (String option : settings.dockerSecurityOptions() == null ? List.<String>of()
                : settings.dockerSecurityOptions()) {
            if (unconfines(option)) {
                return Optional.of("dockerSecurityOptions " + option + " lifts the container's confinement");
            }
        }
        return Optional.empty();
    }

    /** As Docker reads a capability name: any case, with or without {@code CAP_}. */
    private static String capabilityName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
    }

    /**
     * Whether a security option weakens what Docker confines a container with. Docker splits
     * an option at its first {@code =}, else at its first {@code :} (ECS's spelling). A seccomp
     * option replaces Docker's default profile with the one it carries, which may allow every
     * call, so any is refused; so is {@code writable-cgroups} other than false.
     */
    private static boolean unconfines(String option) {
        String lower = option.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("disable")) {
            return true;
        }
        int split = lower.indexOf('=') >= 0 ? lower.indexOf('=') : lower.indexOf(':');
        if (split < 0) {
            return false;
        }
        String key = lower.substring(0, split);
        String value = lower.substring(split + 1);
        return switch (key) {
            case "apparmor", "systempaths" -> value.equals("unconfined");
            case "seccomp" -> true;
            case "label" -> value.equals("disable") || UNCONFINED_SELINUX_TYPES.contains(value);
            case "writable-cgroups" -> !value.equals("false");
            default -> false;
        };
    }
}
