package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Link;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.api.model.VolumesFrom;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.HostSettings;
import dev.berth.agent.runtime.VolumeMount;
import dev.berth.model.ContainerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts a container's {@link HostSettings} on Docker's create command and host config. Pure:
 * every value was checked when the spec was built, except those only Docker can judge (an
 * unknown capability, an invalid ulimit), which Docker refuses at create.
 */
final class DockerHostSettings {

    private static final long MIB = 1024L * 1024L;

    private DockerHostSettings() {
    }

    static void apply(CreateContainerCmd cmd, HostConfig host, ContainerSpec spec) {
        HostSettings hostSettings = spec.host();
        ContainerSettings s = hostSettings.settings();
        if (s.healthCheck() != null) {
            cmd.withHealthcheck(healthCheck(s.healthCheck()));
        }
        ifSet(s.disableNetworking(), cmd::withNetworkDisabled);
        ifSet(s.interactive(), cmd::withStdinOpen);
        ifSet(s.pseudoTerminal(), cmd::withTty);
        ifSet(s.privileged(), host::withPrivileged);
        ifSet(s.readonlyRootFilesystem(), host::withReadonlyRootfs);
        ifSet(hostSettings.pidMode(), host::withPidMode);
        ifSet(hostSettings.ipcMode(), host::withIpcMode);
        applyLists(host, hostSettings, s);
        applyStorage(host, spec);
        if (s.linuxParameters() != null) {
            applyLinux(host, s.linuxParameters());
        }
        if (s.logConfiguration() != null && s.logConfiguration().logDriver() != null) {
            String driver = s.logConfiguration().logDriver();
            LogConfig.LoggingType type = LogConfig.LoggingType.fromValue(driver);
            if (type == null) {
                // docker-java knows a fixed set of drivers; any other would silently become Docker's default.
                throw new IllegalArgumentException("Invalid 'logConfiguration.logDriver' " + driver
                        + ": Berth cannot hand this driver to Docker");
            }
            host.withLogConfig(new LogConfig(type, s.logConfiguration().options()));
        }
    }

    /** docker-java refuses nulls: an absent ECS field leaves Docker's default. */
    private static <T> void ifSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    private static HealthCheck healthCheck(dev.berth.model.HealthCheck check) {
        return new HealthCheck()
                .withTest(check.commandOrEmpty())
                .withInterval(nanos(check.intervalOrDefault()))
                .withTimeout(nanos(check.timeoutOrDefault()))
                .withRetries(check.retriesOrDefault())
                .withStartPeriod(nanos(check.startPeriodOrZero()));
    }

    private static long nanos(int seconds) {
        return Duration.ofSeconds(seconds).toNanos();
    }

    private static void applyLists(HostConfig host, HostSettings hostSettings, ContainerSettings s) {
        if (!hostSettings.links().isEmpty()) {
            host.withLinks(hostSettings.links().stream().map(Link::parse).toList());
        }
        if (!hostSettings.volumesFrom().isEmpty()) {
            host.withVolumesFrom(hostSettings.volumesFrom().stream().map(VolumesFrom::parse).toList());
        }
        if (s.ulimits() != null) {
            host.withUlimits(ulimits(s.ulimits()));
        }
        if (s.extraHosts() != null) {
            host.withExtraHosts(s.extraHosts().stream().map(h -> h.hostname() + ":" + h.ipAddress())
                    .toArray(String[]::new));
        }
        if (s.dnsServers() != null) {
            host.withDns(s.dnsServers());
        }
        if (s.dnsSearchDomains() != null) {
            host.withDnsSearch(s.dnsSearchDomains());
        }
        if (s.dockerSecurityOptions() != null) {
            host.withSecurityOpts(s.dockerSecurityOptions());
        }
        if (s.systemControls() != null) {
            Map<String, String> sysctls = new LinkedHashMap<>();
            s.systemControls().forEach(c -> sysctls.put(c.namespace(), c.value()));
            host.withSysctls(sysctls);
        }
    }

    /** ECS requires all three: a missing limit is refused, never handed to Docker as 0. */
    private static List<Ulimit> ulimits(List<ContainerSettings.Ulimit> ulimits) {
        List<Ulimit> result = new ArrayList<>();
        for (int i = 0; i < ulimits.size(); i++) {
            ContainerSettings.Ulimit u = ulimits.get(i);
            if (u == null || u.name() == null || u.softLimit() == null || u.hardLimit() == null) {
                throw new IllegalArgumentException("Invalid 'ulimits[" + i + "]' setting: "
                        + (u == null ? null : u.name()) + " needs name, softLimit and hardLimit, as in ECS");
            }
            result.add(new Ulimit(u.name(), u.softLimit(), u.hardLimit()));
        }
        return result;
    }

    /** Host paths as binds (Docker creates a missing directory, as ECS does); volumes as labelled mounts. */
    private static void applyStorage(HostConfig host, ContainerSpec spec) {
        List<Bind> binds = new ArrayList<>();
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount mount : spec.host().mounts()) {
            if (mount.kind() == VolumeMount.Kind.HOST_PATH) {
                binds.add(new Bind(mount.source(), new Volume(mount.containerPath()),
                        mount.readOnly() ? AccessMode.ro : AccessMode.rw));
                continue;
            }
            Mount volume = new Mount().withType(MountType.VOLUME).withSource(mount.source())
                    .withTarget(mount.containerPath()).withReadOnly(mount.readOnly());
            if (mount.kind() == VolumeMount.Kind.TASK_VOLUME) {
                // Docker labels the volume when it creates it, which marks it as this task's for removal.
                volume.withVolumeOptions(new VolumeOptions().withLabels(Map.of(
                        BerthLabels.TASK_ID, spec.taskId(), BerthLabels.INSTANCE_ID, spec.instanceId())));
            }
            mounts.add(volume);
        }
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }
        if (!mounts.isEmpty()) {
            host.withMounts(mounts);
        }
    }

    private static void applyLinux(HostConfig host, ContainerSettings.LinuxParameters linux) {
        if (linux.capabilities() != null) {
            if (linux.capabilities().add() != null) {
                host.withCapAdd(capabilities(linux.capabilities().add()));
            }
            if (linux.capabilities().drop() != null) {
                host.withCapDrop(capabilities(linux.capabilities().drop()));
            }
        }
        if (linux.initProcessEnabled() != null) {
            host.withInit(linux.initProcessEnabled());
        }
        if (linux.sharedMemorySize() != null) {
            host.withShmSize(linux.sharedMemorySize() * MIB);
        }
        if (linux.tmpfs() != null) {
            Map<String, String> tmpfs = new LinkedHashMap<>();
            for (int i = 0; i < linux.tmpfs().size(); i++) {
                ContainerSettings.Tmpfs mount = linux.tmpfs().get(i);
                if (mount == null || mount.containerPath() == null || mount.size() == null) {
                    // ECS requires both; without a size the mount would be bounded only by the host's memory.
                    throw new IllegalArgumentException("Invalid 'linuxParameters.tmpfs[" + i + "]' setting: "
                            + (mount == null ? null : mount.containerPath()) + " needs containerPath and size, as in ECS");
                }
                List<String> options = new ArrayList<>(mount.mountOptions() == null ? List.of() : mount.mountOptions());
                options.add("size=" + mount.size() + "m");
                tmpfs.put(mount.containerPath(), String.join(",", options));
            }
            host.withTmpFs(tmpfs);
        }
    }

    /** ECS names capabilities without the {@code CAP_} prefix, as docker-java does. */
    private static Capability[] capabilities(List<String> names) {
        return names.stream().map(DockerHostSettings::capability).toArray(Capability[]::new);
    }

    private static Capability capability(String name) {
        try {
            return Capability.valueOf(name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid 'linuxParameters.capabilities' setting: unknown capability "
                    + name, e);
        }
    }
}
