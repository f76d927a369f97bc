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
 * volumes and volumes without the Berth labels are never removed. Runs inside a runtime call.
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

    /** The names of the volumes the container mounts that carry the task label. */
    static List<String> taskVolumesOf(DockerClient client, String containerId) {
        List<String> names = new ArrayList<>();
        InspectContainerResponse container;
        try {
            container = client.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            return names;
        }
        if (container.getMounts() == null) {
            return names;
        }
        for (InspectContainerResponse.Mount mount : container.getMounts()) {
            if (mount.getName() != null && isTaskVolume(client, mount.getName())) {
                names.add(mount.getName());
            }
        }
        return names;
    }

    private static boolean isTaskVolume(DockerClient client, String name) {
        try {
            InspectVolumeResponse volume = client.inspectVolumeCmd(name).exec();
            Map<String, String> labels = volume.getLabels();
            return labels != null && labels.get(BerthLabels.TASK_ID) != null
                    && labels.get(BerthLabels.INSTANCE_ID) != null;
        } catch (NotFoundException e) {
            return false;
        }
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
