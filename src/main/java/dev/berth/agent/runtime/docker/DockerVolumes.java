package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ContainerSpec;
import dev.berth.agent.runtime.RuntimeError;
import dev.berth.agent.runtime.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The task-scoped Docker volumes of a container: created by Docker with the task's labels
 * when the container is created, and removed once no container of the task uses them. Shared
 * volumes, volumes without the Berth labels and those of another task are never removed. Runs
 * inside a runtime call.
 */
final class DockerVolumes {

    private static final Logger LOGGER = Logger.getLogger(DockerVolumes.class);

    private DockerVolumes() {
    }

    /** Refuses the container when a shared volume that must exist already does not. */
    static void requireExisting(DockerClient client, ContainerSpec spec) throws ContainerRuntimeException {
        for (VolumeMount mount : spec.host().mounts()) {
            if (mount.kind() != VolumeMount.Kind.EXISTING_VOLUME) {
                continue;
            }
            try {
                client.inspectVolumeCmd(mount.source()).exec();
            } catch (NotFoundException e) {
                throw RuntimeError.CannotCreateContainerError.because("Docker volume " + mount.source()
                        + " does not exist, and its dockerVolumeConfiguration does not ask to autoprovision it");
            }
        }
    }

    /**
     * Refuses the container when a volume named as its task's own exists and is not labelled with
     * the task: it was made by someone else, and mounting it would hand the task their data.
     */
    static void requireOwnTaskVolumes(DockerClient client, ContainerSpec spec) throws ContainerRuntimeException {
        for (VolumeMount mount : spec.host().mounts()) {
            if (mount.kind() != VolumeMount.Kind.TASK_VOLUME) {
                continue;
            }
            Map<String, String> labels;
            try {
                labels = client.inspectVolumeCmd(mount.source()).exec().getLabels();
            } catch (NotFoundException e) {
                continue;
            }
            if (!isTaskVolumeOf(labels, spec.labels())) {
                throw RuntimeError.CannotCreateContainerError.because("Docker volume " + mount.source()
                        + " exists and is not this task's own: Berth neither mounts it as the task's volume nor "
                        + "removes it");
            }
        }
    }

    /** The names of the volumes the container mounts that are task volumes of its own task. */
    static List<String> taskVolumesOf(DockerClient client, String containerId) {
        List<String> names = new ArrayList<>();
        InspectContainerResponse container;
        try {
            container = client.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            return names;
        }
        if (container.getMounts() == null || container.getConfig() == null) {
            return names;
        }
        for (InspectContainerResponse.Mount mount : container.getMounts()) {
            if (mount.getName() != null && isTaskVolumeOf(labelsOf(client, mount.getName()),
                    container.getConfig().getLabels())) {
                names.add(mount.getName());
            }
        }
        return names;
    }

    private static Map<String, String> labelsOf(DockerClient client, String volume) {
        try {
            InspectVolumeResponse inspected = client.inspectVolumeCmd(volume).exec();
            return inspected.getLabels();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /**
     * Whether a volume is a task volume of the container's own task on this instance: a task can
     * mount a volume of another task's by its name, and must not take it away when it goes.
     */
    static boolean isTaskVolumeOf(Map<String, String> volumeLabels, Map<String, String> containerLabels) {
        if (volumeLabels == null || containerLabels == null) {
            return false;
        }
        String task = volumeLabels.get(BerthLabels.TASK_ID);
        String instance = volumeLabels.get(BerthLabels.INSTANCE_ID);
        return task != null && instance != null && task.equals(containerLabels.get(BerthLabels.TASK_ID))
                && instance.equals(containerLabels.get(BerthLabels.INSTANCE_ID));
    }

    /** Removes each volume unless another container still uses it (the last one removes it). */
    static void removeUnused(DockerClient client, List<String> names) {
        for (String name : names) {
            try {
                client.removeVolumeCmd(name).exec();
            } catch (ConflictException e) {
                LOGGER.debugf("Volume %s is still used by another container of its task", name);
            } catch (NotFoundException e) {
                LOGGER.debugf("Volume %s was already removed", name);
            }
        }
    }
}
