package dev.berth.agent.runtime;

import dev.berth.model.ContainerDefinition;
import dev.berth.model.ContainerSettings;
import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskSettings;
import dev.berth.protocol.DesiredTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one container beyond command, resources and ports: the container
 * definition's {@link ContainerSettings}, with the references to other containers and to
 * the task's volumes turned into the engine's names. Pure.
 *
 * @param links       {@code <engine name>:<alias>}
 * @param volumesFrom {@code <engine name>:ro} or {@code <engine name>:rw}
 * @param pidMode     the task's {@code pidMode} ({@code host}), or null
 * @param ipcMode     the task's {@code ipcMode} ({@code host} or {@code none}), or null
 */
public record HostSettings(
        ContainerSettings settings,
        List<VolumeMount> mounts,
        List<String> links,
        List<String> volumesFrom,
        String pidMode,
        String ipcMode) {

    /** A container with nothing beyond the basics. */
    public static final HostSettings NONE = new HostSettings(ContainerSettings.NONE, List.of(), List.of(), List.of(),
            null, null);

    /**
     * How the engine's names of task-scoped volumes begin. A shared volume is named as the task
     * definition says, so one with this prefix could be another task's own, found by its
     * predictable name: it is refused.
     */
    static final String TASK_VOLUME_PREFIX = "berth-";

    public HostSettings {
        mounts = List.copyOf(mounts);
        links = List.copyOf(links);
        volumesFrom = List.copyOf(volumesFrom);
    }

    /** The same settings with {@code replaced} as the mounts. */
    public HostSettings withMounts(List<VolumeMount> replaced) {
        return new HostSettings(settings, replaced, links, volumesFrom, pidMode, ipcMode);
    }

    /**
     * The settings of {@code definition} in {@code task}.
     *
     * @throws ContainerRuntimeException CannotCreateContainerError when a setting is malformed or
     *                                   names a volume or container the task does not have
     */
    static HostSettings of(DesiredTask task, ContainerDefinition definition) throws ContainerRuntimeException {
        try {
            ContainerSettings settings = ContainerSettings.of(definition);
            TaskSettings taskSettings = TaskSettings.of(task.taskDefinition());
            return new HostSettings(settings, mounts(task, definition.name(), settings, taskSettings),
                    links(task, definition.name(), settings), volumesFrom(task, definition.name(), settings),
                    taskSettings.pidMode(),
                    taskSettings.ipcMode());
        } catch (IllegalArgumentException e) {
            throw RuntimeError.CannotCreateContainerError.because(e.getMessage(), e);
        }
    }

    private static List<VolumeMount> mounts(DesiredTask task, String container, ContainerSettings settings,
            TaskSettings taskSettings) {
        List<VolumeMount> mounts = new ArrayList<>();
        for (ContainerSettings.MountPoint point : settings.mountPointsOrEmpty()) {
            TaskSettings.Volume volume = taskSettings.volumesOrEmpty().stream()
                    .filter(v -> v.name() != null && v.name().equals(point.sourceVolume())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Invalid 'mountPoints' setting for container '"
                            + container + "': the task has no volume named '" + point.sourceVolume() + "'"));
            if (point.containerPath() == null || point.containerPath().isBlank()) {
                throw new IllegalArgumentException("Invalid 'mountPoints' setting for container '" + container
                        + "': containerPath is missing");
            }
            mounts.add(mount(task, taskSettings.volumesOrEmpty().indexOf(volume), volume, point));
        }
        return mounts;
    }

    private static VolumeMount mount(DesiredTask task, int index, TaskSettings.Volume volume,
            ContainerSettings.MountPoint point) {
        boolean readOnly = Boolean.TRUE.equals(point.readOnly());
        if (volume.host() != null && volume.host().sourcePath() != null) {
            return new VolumeMount(VolumeMount.Kind.HOST_PATH, volume.host().sourcePath(), point.containerPath(),
                    readOnly);
        }
        requireKnownScope(index, volume);
        if (volume.dockerVolumeConfiguration() != null && volume.dockerVolumeConfiguration().isShared()) {
            if (volume.name().startsWith(TASK_VOLUME_PREFIX)) {
                throw new IllegalArgumentException("Invalid 'volumes' setting for task: the shared volume '"
                        + volume.name() + "' starts with '" + TASK_VOLUME_PREFIX + "', which Berth keeps for the "
                        + "Docker volumes of tasks' own volumes");
            }
            VolumeMount.Kind kind = Boolean.TRUE.equals(volume.dockerVolumeConfiguration().autoprovision())
                    ? VolumeMount.Kind.SHARED_VOLUME : VolumeMount.Kind.EXISTING_VOLUME;
            return new VolumeMount(kind, volume.name(), point.containerPath(), readOnly);
        }
        return new VolumeMount(VolumeMount.Kind.TASK_VOLUME, taskVolumeName(task, volume.name()),
                point.containerPath(), readOnly);
    }

    /**
     * A record that reached the host with a scope registration refuses is not run: taken as a
     * task volume, it would be removed with the task, which a volume meant to be shared must not.
     */
    private static void requireKnownScope(int index, TaskSettings.Volume volume) {
        TaskSettings.DockerVolumeConfiguration docker = volume.dockerVolumeConfiguration();
        if (docker == null) {
            return;
        }
        String field = "Invalid 'volumes[" + index + "].dockerVolumeConfiguration.";
        if (!docker.isShared() && !docker.isTaskScoped()) {
            throw new IllegalArgumentException(field + "scope' setting for volume '" + volume.name() + "': "
                    + docker.scope() + " is not task or shared; the task is not run, as a volume that is not shared "
                    + "is removed when its task stops");
        }
        if (docker.autoprovisionsATaskVolume()) {
            throw new IllegalArgumentException(field + "autoprovision' setting for volume '" + volume.name()
                    + "': a task-scoped volume is not autoprovisioned");
        }
    }

    /** The engine's name of a task-scoped volume: unique to the task, found again after a restart. */
    public static String taskVolumeName(DesiredTask task, String volume) {
        return TASK_VOLUME_PREFIX + task.taskId() + "-" + volume.replaceAll("[^a-zA-Z0-9_.-]", "-");
    }

    private static List<String> links(DesiredTask task, String container, ContainerSettings settings) {
        List<String> links = new ArrayList<>();
        for (String link : settings.linksOrEmpty()) {
            int colon = link.indexOf(':');
            String target = colon < 0 ? link : link.substring(0, colon);
            String alias = colon < 0 ? link : link.substring(colon + 1);
            links.add(ContainerSpecs.containerName(task, requireContainer(task.taskDefinition(), target, "links", container))
                    + ":" + alias);
        }
        return links;
    }

    private static List<String> volumesFrom(DesiredTask task, String container, ContainerSettings settings) {
        List<String> from = new ArrayList<>();
        for (ContainerSettings.VolumeFrom source : settings.volumesFromOrEmpty()) {
            String name = requireContainer(task.taskDefinition(), source.sourceContainer(), "volumesFrom",
                    container);
            from.add(ContainerSpecs.containerName(task, name) + (Boolean.TRUE.equals(source.readOnly()) ? ":ro" : ":rw"));
        }
        return from;
    }

    private static String requireContainer(TaskDefinition definition, String name, String field, String owner) {
        boolean present = definition.containers().stream().anyMatch(c -> c.name().equals(name));
        if (!present) {
            throw new IllegalArgumentException("Invalid '" + field + "' setting for container '" + owner
                    + "': the task has no container named '" + name + "'");
        }
        return name;
    }
}
