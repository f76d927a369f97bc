package dev.berth.scheduler;

import dev.berth.model.TaskDefinition;
import dev.berth.model.TaskSettings;
import java.util.List;

/**
 * Checks, at registration, the settings the agent hands Docker whose wrong values Docker would
 * not refuse but apply some other way than asked: each is refused by its field's path
 * ({@code volumes[1].dockerVolumeConfiguration.scope}), with ECS's ClientException. Pure.
 */
final class DockerSettingsValidator {

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
}
