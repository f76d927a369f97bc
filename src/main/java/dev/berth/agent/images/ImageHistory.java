package dev.berth.agent.images;

import dev.berth.agent.disk.AtomicFile;
import dev.berth.agent.runtime.RuntimeImage;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The images this instance's tasks named, by reference as the engine lists it, with when a
 * task or a container last used each: the only images image cleanup may remove. A local
 * cache in {@code <data dir>/agent/images.properties}, so the ages survive a restart; one
 * entry per image on the host, dropped when the image is gone.
 */
public final class ImageHistory {

    private static final Logger LOGGER = Logger.getLogger(ImageHistory.class);

    private final Path file;
    private final Map<String, Instant> lastUsed = new HashMap<>();
    private boolean changed;

    private ImageHistory(Path file) {
        this.file = file;
    }

    /** The history kept in {@code file}; empty when there is none or it cannot be read. */
    public static ImageHistory load(Path file) {
        ImageHistory history = new ImageHistory(file);
        if (!Files.isReadable(file)) {
            return history;
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            for (String reference : properties.stringPropertyNames()) {
                history.lastUsed.put(reference, Instant.ofEpochMilli(Long.parseLong(properties.getProperty(reference))));
            }
        } catch (IOException | NumberFormatException e) {
            LOGGER.warnf("Cannot read the image history %s (%s); images are tracked from now on", file,
                    e.getMessage());
            history.lastUsed.clear();
        }
        return history;
    }

    /** The image named by {@code reference} is used now. */
    void used(String reference, Instant now) {
        String key = RuntimeImage.normalize(reference);
        Instant before = lastUsed.get(key);
        if (before == null || before.isBefore(now)) {
            lastUsed.put(key, now);
            changed = true;
        }
    }

    Set<String> references() {
        return Set.copyOf(lastUsed.keySet());
    }

    Optional<Instant> lastUsed(String reference) {
        return Optional.ofNullable(lastUsed.get(reference));
    }

    /** The image is gone: nothing to remove any more. */
    void forget(String reference) {
        changed |= lastUsed.remove(reference) != null;
    }

    /** Writes the history when it changed (atomically); a failure costs a WARN line, not the cycle. */
    void save() {
        if (!changed) {
            return;
        }
        Properties properties = new Properties();
        lastUsed.forEach((reference, at) -> properties.setProperty(reference, Long.toString(at.toEpochMilli())));
        try {
            StringWriter out = new StringWriter();
            properties.store(out, "Images this container instance's tasks used, and when last (epoch ms)");
            AtomicFile.replace(file, out.toString().getBytes(StandardCharsets.UTF_8),
                    AtomicFile.Survives.PROCESS_CRASH);
            changed = false;
        } catch (IOException e) {
            LOGGER.warnf("Cannot write the image history %s (%s); trying again next cycle", file, e.getMessage());
        }
    }
}
