package dev.berth.scheduler;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerOverride;
import dev.berth.model.ContainerSettings;
import dev.berth.model.TaskOverride;
import dev.berth.model.TaskSize;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskSettings;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks, at registration, the settings the agent hands Docker whose wrong values Docker would
 * not refuse but apply some other way than asked: each is refused by its field's path
 * ({@code volumes[1].dockerVolumeConfiguration.scope}), with ECS's ClientException. Pure.
 */
final class DockerSettingsValidator {

    /** ECS's ulimit names (its enum): any other is no limit ECS would set. */
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    private static final String ULIMIT_NAMES = "core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, "
            + "nproc, rss, rtprio, rttime, sigpending, stack";

    private DockerSettingsValidator() {
    }

    /**
     * A Docker volume's scope is ECS's {@code task} or {@code shared}, exactly: any other would be
     * taken as neither, and a volume meant to outlive the task must never be removed with it.
     * {@code autoprovision} is for a shared volume only: ECS's agent refuses to run a task-scoped
     * volume that asks for it, so it is refused now rather than on every host.
     */
    static void validateVolumes(TaskDefinition definition) {
        List<TaskSettings.Volume> volumes;
        try {
            volumes = TaskSettings.of(definition).volumesOrEmpty();
        } catch (IllegalArgumentException e) {
            throw EcsException.client(e.getMessage());
        }
        for (int i = 0; i < volumes.size(); i++) {
            TaskSettings.Volume volume = volumes.get(i);
            TaskSettings.DockerVolumeConfiguration docker = volume == null ? null : volume.dockerVolumeConfiguration();
            if (docker == null) {
                continue;
            }
            String scope = "volumes[" + i + "].dockerVolumeConfiguration.scope";
            String owner = "' setting for volume '" + volume.name() + "': ";
            if (!docker.isShared() && !docker.isTaskScoped()) {
                throw EcsException.client("Invalid '" + scope + owner + docker.scope() + " is not a scope of ECS "
                        + "(task or shared, in lowercase); nothing was registered, as a volume that is not shared is "
                        + "removed when its task stops.");
            }
            if (docker.autoprovisionsATaskVolume()) {
                throw EcsException.client("Invalid 'volumes[" + i + "].dockerVolumeConfiguration.autoprovision"
                        + owner + "only a volume whose '" + scope + "' is shared is autoprovisioned, and this one's "
                        + "is task, which removes it when the task stops; set scope to shared to keep it, or leave "
                        + "autoprovision out.");
            }
        }
    }

    /**
     * A ulimit has ECS's name, softLimit and hardLimit (soft not above hard), and a tmpfs mount its
     * containerPath and size: ECS requires each, and without one Docker would set a limit of 0,
     * or mount a tmpfs of no bound.
     *
     * @param index the container's index in {@code containerDefinitions}
     */
    static void validateContainer(int index, String container, ContainerSettings settings) {
        String at = "containerDefinitions[" + index + "].";
        String owner = "' setting for container '" + container + "': ";
        List<ContainerSettings.Ulimit> ulimits = settings.ulimits() == null ? List.of() : settings.ulimits();
        for (int i = 0; i < ulimits.size(); i++) {
            ContainerSettings.Ulimit u = ulimits.get(i);
            String field = "Invalid '" + at + "ulimits[" + i + "].";
            String required = "it is required, as in ECS (name, softLimit and hardLimit).";
            if (u == null || u.name() == null) {
                throw EcsException.client(field + "name" + owner + required);
            }
            if (!ULIMITS.contains(u.name())) {
                throw EcsException.client(field + "name" + owner + u.name() + " is not one of ECS's ulimits ("
                        + ULIMIT_NAMES + ").");
            }
            if (u.softLimit() == null || u.hardLimit() == null) {
                throw EcsException.client(field + (u.softLimit() == null ? "softLimit" : "hardLimit") + owner
                        + required);
            }
            if (u.softLimit() > u.hardLimit()) {
                throw EcsException.client(field + "softLimit" + owner + u.softLimit() + " is greater than its "
                        + "hardLimit " + u.hardLimit() + ".");
            }
        }
        validateTmpfs(at, owner, settings.linuxParameters());
    }

    private static void validateTmpfs(String at, String owner, ContainerSettings.LinuxParameters linux) {
        List<ContainerSettings.Tmpfs> tmpfs = linux == null || linux.tmpfs() == null ? List.of() : linux.tmpfs();
        for (int i = 0; i < tmpfs.size(); i++) {
            ContainerSettings.Tmpfs mount = tmpfs.get(i);
            String field = "Invalid '" + at + "linuxParameters.tmpfs[" + i + "].";
            String required = "it is required, as in ECS (containerPath and size, in MiB).";
            if (mount == null || mount.containerPath() == null || mount.containerPath().isBlank()) {
                throw EcsException.client(field + "containerPath" + owner + required);
            }
            if (mount.size() == null) {
                throw EcsException.client(field + "size" + owner + required);
            }
            if (mount.size() < 1) {
                throw EcsException.client(field + "size" + owner + "it is at least 1 MiB; " + mount.size()
                        + " given.");
            }
        }
    }

    private static final String TASK_CGROUP = "ECS bounds them together by the task's memory (a task cgroup), "
            + "which Berth does not apply; set 'memory' on every container, or leave the task's 'memory' out.";

    /**
     * A task memory with several containers needs a hard limit on each: ECS bounds the task's
     * containers together by it, Berth bounds each container by its own (the only container of
     * a task takes the task's memory as its own, the same bound), so without one a container
     * would run unbounded.
     */
    static void validateTaskMemory(List<ContainerDefinition> containers, OptionalInt taskMemory) {
        if (taskMemory.isEmpty() || containers.size() < 2) {
            return;
        }
        for (int i = 0; i < containers.size(); i++) {
            if (containers.get(i).memory() == null) {
                throw EcsException.client("Invalid 'containerDefinitions[" + i + "].memory' setting for container '"
                        + containers.get(i).name() + "': it is required when the task's 'memory' is set and the task "
                        + "has several containers. " + TASK_CGROUP);
            }
        }
    }

    /** The same at RunTask and StartTask, with the overrides applied. */
    static void validateTaskMemory(TaskDefinition definition, TaskOverride overrides) {
        String override = overrides == null ? null : overrides.memory();
        OptionalInt taskMemory;
        try {
            taskMemory = TaskSize.memoryMiB(override != null ? override : definition.memory());
        } catch (IllegalArgumentException e) {
            return; // refused by name with the other sizes
        }
        if (taskMemory.isEmpty() || definition.containers().size() < 2) {
            return;
        }
        for (ContainerDefinition c : definition.containers()) {
            Integer memory = overrides == null ? null : overrides.containerOverridesOrEmpty().stream()
                    .filter(o -> c.name().equals(o.name())).map(ContainerOverride::memory)
                    .filter(Objects::nonNull).findFirst().orElse(null);
            if (memory == null && c.memory() == null) {
                throw EcsException.invalidParameter("Invalid '" + (override != null ? "overrides.memory'" : "memory' "
                        + "setting for task") + ": the task has several containers and '" + c.name() + "' has no "
                        + "'memory'. " + TASK_CGROUP);
            }
        }
    }
}
