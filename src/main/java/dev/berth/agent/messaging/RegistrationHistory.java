package dev.berth.agent.messaging;

import dev.berth.agent.disk.AtomicFile;
import dev.berth.protocol.InstanceRegistration;
import dev.berth.protocol.RemainingResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What a restart must not reset in the container instance's registration: when it first
 * registered ({@code registeredAt}), the version of its last registration record, so
 * that the next version is higher even when the clock stepped backwards, and what that record
 * said the host had left, which stands until the restarted engine's ledger is whole again. The
 * first registration time is kept in {@code <dataDir>/agent/registered-at}, with the instance id it
 * belongs to, and compared with the last record on berth.instances; the earlier one wins. A
 * host that became a new container instance (its {@code instance-id} file lost) registers anew:
 * the time kept for the old id is not its own.
 *
 * @param registeredAt  when this container instance first registered
 * @param lastVersion   the version of its last registration on berth.instances; 0 when none
 * @param lastRemaining what that registration said the host had left; null when none said it
 */
public record RegistrationHistory(Instant registeredAt, long lastVersion, RemainingResources lastRemaining) {

    private static final Logger LOGGER = Logger.getLogger(RegistrationHistory.class);

    /** A history whose last registration said nothing of what the host had left. */
    public RegistrationHistory(Instant registeredAt, long lastVersion) {
        this(registeredAt, lastVersion, null);
    }

    /** The history of the instance whose data dir is {@code dataDir}; records the first registration there. */
    public static RegistrationHistory load(Path dataDir, String instanceId, Optional<InstanceRegistration> lastOnKafka,
            Clock clock) {
        Path file = dataDir.resolve("agent").resolve("registered-at");
        Optional<Instant> kept = read(file, instanceId);
        Optional<Instant> onKafka = lastOnKafka.map(InstanceRegistration::registeredAt);
        // Now only when nothing holds a registration: a clock stepped back must not move it earlier.
        Instant first = kept.orElse(null);
        if (onKafka.isPresent() && (first == null || onKafka.get().isBefore(first))) {
            first = onKafka.get();
        }
        if (first == null) {
            first = clock.instant();
        }
        if (kept.isEmpty() || !kept.get().equals(first) || !namesInstance(file, instanceId)) {
            write(file, first, instanceId);
        }
        return new RegistrationHistory(first, lastOnKafka.map(InstanceRegistration::version).orElse(0L),
                lastOnKafka.map(InstanceRegistration::remainingResources).orElse(null));
    }

    /**
     * The time kept for {@code instanceId}: the file's first line, unless its second names
     * another instance (a file of one line predates the id beside it, and counts).
     */
    private static Optional<Instant> read(Path file, String instanceId) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            java.util.List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() > 1 && !lines.get(1).strip().equals(instanceId)) {
                LOGGER.infof("%s holds the first registration of container instance %s, not of %s: %s registers "
                        + "anew", file, lines.get(1).strip(), instanceId, instanceId);
                return Optional.empty();
            }
            return Optional.of(Instant.parse(lines.isEmpty() ? "" : lines.get(0).strip()));
        } catch (IOException | DateTimeParseException e) {
            LOGGER.warnf("%s does not hold a registration time (%s); using the last registration on Kafka or now",
                    file, e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean namesInstance(Path file, String instanceId) {
        try {
            java.util.List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.size() > 1 && lines.get(1).strip().equals(instanceId);
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path file, Instant first, String instanceId) {
        try {
            AtomicFile.replace(file, (first + "\n" + instanceId + "\n").getBytes(StandardCharsets.UTF_8),
                    AtomicFile.Survives.HOST_CRASH);
        } catch (IOException e) {
            LOGGER.warnf("Cannot keep the first registration time in %s (%s); berth.instances still holds it", file,
                    e.getMessage());
        }
    }
}
