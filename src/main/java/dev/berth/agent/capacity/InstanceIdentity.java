package dev.berth.agent.capacity;

import dev.berth.agent.disk.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The container instance id of this host: 32 hex digits, like an ECS container instance id.
 * It is created once and kept in {@code <dataDir>/agent/instance-id}, so that a restarted
 * agent finds its partition of berth.tasks and its containers again. Losing the file makes
 * the host a new container instance; its old containers then carry another instance id
 * and are left alone.
 *
 * <p>The id belongs to a machine, not to a directory. Beside it the agent records the id of
 * the machine it was made on ({@code <dataDir>/agent/machine-id}, from systemd's
 * {@code /etc/machine-id}). A data directory recorded on another machine is a copy, as a
 * disk image cloned from a host that ran the agent carries: used as it is, two hosts would
 * share one instance, and each would run every task placed on it. So, as the ECS agent
 * discards its saved state when the EC2 instance id it recorded is not the current one, the
 * whole {@code <dataDir>/agent} (its id, its unsent state changes, its Kafka layout) is moved
 * aside to {@code <dataDir>/agent.from-<machine id>-<epoch ms>} and this host starts as a new
 * container instance. A directory that recorded no machine (made before this check) is
 * taken as this machine's; with no machine id to read, there is no check.
 */
public final class InstanceIdentity {

    private static final Logger LOGGER = Logger.getLogger(InstanceIdentity.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

    private InstanceIdentity() {
    }

    /**
     * The id kept under {@code dataDir} for the machine {@code machineId} (see the class
     * comment), created on first use and anew when the directory was recorded on another machine.
     */
    public static String loadOrCreate(Path dataDir, Optional<String> machineId) {
        Path agentDir = dataDir.resolve("agent");
        Path file = agentDir.resolve("instance-id");
        Path machineFile = agentDir.resolve("machine-id");
        try {
            Optional<String> recorded = Files.exists(machineFile)
                    ? Optional.of(Files.readString(machineFile, StandardCharsets.UTF_8).trim())
                            .filter(ID.asMatchPredicate())
                    : Optional.empty();
            boolean copied = machineId.isPresent() && recorded.isPresent() && !recorded.equals(machineId);
            if (copied) {
                setAside(agentDir, recorded.get(), machineId.get());
            }
            String id = Files.exists(file) ? read(file) : null;
            if (id == null) {
                id = UUID.randomUUID().toString().replace("-", "");
                write(file, id);
                LOGGER.infof("Created container instance id %s in %s", id, file);
            }
            if (machineId.isPresent() && (copied || recorded.isEmpty())) {
                write(machineFile, machineId.get());
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the instance id in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * This machine's id from {@code file} (systemd's {@code /etc/machine-id}: 32 hex digits);
     * empty when the file is missing, unreadable or names no machine (an image's
     * "uninitialized" one, for instance).
     */
    public static Optional<String> machineId(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (ID.matcher(id).matches()) {
                return Optional.of(id);
            }
            LOGGER.infof("%s names no machine (%s): the agent cannot tell a copied data directory from its own",
                    file, id.isEmpty() ? "empty" : id);
        } catch (IOException e) {
            LOGGER.infof("%s cannot be read (%s): the agent cannot tell a copied data directory from its own", file,
                    e.getMessage());
        }
        return Optional.empty();
    }

    private static void setAside(Path agentDir, String recorded, String current) throws IOException {
        Path aside = agentDir.resolveSibling("agent.from-" + recorded + "-" + System.currentTimeMillis());
        Files.move(agentDir, aside, StandardCopyOption.ATOMIC_MOVE);
        LOGGER.warnf("%s was made on machine %s, and this is machine %s: it is a copy of another host's agent state"
                + " (a cloned disk image carries one), and using it would make both hosts one container instance."
                + " Moved it to %s; this host registers as a new container instance, and containers of the old"
                + " instance here are left alone", agentDir, recorded, current, aside);
    }

    private static String read(Path file) throws IOException {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (ID.matcher(id).matches()) {
            return id;
        }
        LOGGER.warnf("%s does not hold an instance id (%s); creating a new one", file, id);
        return null;
    }

    private static void write(Path file, String value) throws IOException {
        AtomicFile.replace(file, (value + "\n").getBytes(StandardCharsets.UTF_8), AtomicFile.Survives.HOST_CRASH);
    }
}
