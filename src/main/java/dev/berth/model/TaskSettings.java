package dev.berth.model;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;

/**
 * The ECS task definition fields beyond {@link TaskDefinition}'s own that the agent applies,
 * read as typed values from what it keeps {@code unmodelled} (see {@link ContainerSettings}).
 */
public record TaskSettings(List<Volume> volumes, String pidMode, String ipcMode) {

    /**
     * {@code volumes[]}: a host path ({@code host.sourcePath}), a Docker volume
     * ({@code dockerVolumeConfiguration}), or, with neither, a Docker volume for this task only.
     */
    public record Volume(String name, HostVolume host, DockerVolumeConfiguration dockerVolumeConfiguration) {
    }

    /** {@code volumes[].host}. */
    public record HostVolume(String sourcePath) {
    }

    /**
     * {@code volumes[].dockerVolumeConfiguration}; scope {@code task} (the default) or {@code shared},
     * exactly: ECS's enum. Any other scope is neither, and must be refused, never taken as task
     * (whose volume is removed with the task) nor as shared.
     */
    public record DockerVolumeConfiguration(String scope, Boolean autoprovision, String driver) {

        public boolean isShared() {
            return "shared".equals(scope);
        }

        /** Whether the volume is the task's own: scope {@code task} or none. */
        public boolean isTaskScoped() {
            return scope == null || "task".equals(scope);
        }

        /** Whether it asks a task-scoped volume to be autoprovisioned, which ECS's agent refuses to run. */
        public boolean autoprovisionsATaskVolume() {
            return isTaskScoped() && Boolean.TRUE.equals(autoprovision);
        }
    }

    public static TaskSettings of(TaskDefinition definition) {
        Map<String, Object> raw = definition.unmodelled() == null ? Map.of() : definition.unmodelled();
        ContainerSettings.Reader r = new ContainerSettings.Reader(raw, "task");
        return new TaskSettings(
                r.read("volumes", new TypeReference<List<Volume>>() { }),
                r.read("pidMode", new TypeReference<String>() { }),
                r.read("ipcMode", new TypeReference<String>() { }));
    }

    public List<Volume> volumesOrEmpty() {
        return volumes == null ? List.of() : volumes;
    }
}
