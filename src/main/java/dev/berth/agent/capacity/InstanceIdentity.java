package dev.berth.agent.capacity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The container instance id of this host: 32 hex digits, like an ECS container instance id.
 * It is created once and kept in {@code <dataDir>/agent/instance-id}, so that a restarted
 * agent finds its partition of berth.tasks and its containers again. Losing the file makes
 * the host a new container instance; its old containers then carry another instance id
 * and are left alone.
 */
public final class InstanceIdentity {

    private static final Logger LOGGER = Logger.getLogger(InstanceIdentity.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private InstanceIdentity() {
    }

    /** The id kept under {@code dataDir}, created on first use. */
    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("agent").resolve("instance-id");
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (ID.matcher(id).matches()) {
                    return id;
                }
                LOGGER.warnf("%s does not hold an instance id (%s); creating a new one", file, id);
            }
            String id = UUID.randomUUID().toString().replace("-", "");
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "instance-id", ".tmp");
            Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOGGER.infof("Created container instance id %s in %s", id, file);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file + ": " + e.getMessage(), e);
        }
    }
}
