package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.berth.agent.runtime.ImageDisk;
import dev.berth.agent.runtime.RuntimeImage;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** The engine's images, for image cleanup: each call is run by {@link DockerContainerRuntime} with its deadline. */
final class DockerImages {

    private static final Logger LOGGER = Logger.getLogger(DockerImages.class);
    /** Docker's placeholder in RepoTags for an image without a tag. */
    private static final String UNTAGGED = "<none>:<none>";

    private DockerImages() {
    }

    static List<RuntimeImage> list(DockerClient client) {
        List<RuntimeImage> images = new ArrayList<>();
        for (Image image : client.listImagesCmd().withShowAll(false).exec()) {
            List<String> tags = image.getRepoTags() == null ? List.of()
                    : Arrays.stream(image.getRepoTags()).filter(tag -> !UNTAGGED.equals(tag)).toList();
            List<String> digests = image.getRepoDigests() == null ? List.of()
                    : Arrays.stream(image.getRepoDigests()).filter(digest -> !digest.startsWith("<none>")).toList();
            images.add(new RuntimeImage(image.getId(), tags, digests));
        }
        return images;
    }

    static Set<String> inUse(DockerClient client) {
        Set<String> ids = new HashSet<>();
        for (Container container : client.listContainersCmd().withShowAll(true).exec()) {
            if (container.getImageId() != null) {
                ids.add(container.getImageId());
            }
        }
        return ids;
    }

    /** Removes the reference, never forced; false when a container uses the image. */
    static boolean remove(DockerClient client, String reference) {
        try {
            client.removeImageCmd(reference).withForce(false).exec();
            return true;
        } catch (NotFoundException e) {
            LOGGER.debugf("Image %s was already removed", reference);
            return true;
        } catch (ConflictException e) {
            LOGGER.debugf("Image %s is in use: %s", reference, DockerContainerRuntime.detail(e));
            return false;
        }
    }

    /** The filesystem of the engine's data root, when that directory is on this host. */
    static Optional<ImageDisk> disk(DockerClient client) throws IOException {
        String root = client.infoCmd().exec().getDockerRootDir();
        if (root == null || !Files.isDirectory(Path.of(root))) {
            return Optional.empty();
        }
        FileStore store = Files.getFileStore(Path.of(root));
        long total = store.getTotalSpace();
        return Optional.of(new ImageDisk(total, total - store.getUsableSpace()));
    }
}
