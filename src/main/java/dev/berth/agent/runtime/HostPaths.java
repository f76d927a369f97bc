package dev.berth.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a task's host path really is, and whether that is under a directory the host allows.
 * The text of a path proves nothing: a task that can write under an allowed directory can
 * plant {@code ln -s / esc} there, and Docker follows it when a later task mounts
 * {@code <dir>/esc}. So both the path and the allowed directories are resolved on the host,
 * every symlink followed, and Docker is handed the resolved path, so that what it mounts is
 * what was checked.
 *
 * <p>The agent resolves paths as it sees the host's files, which must be the host's own view
 * there: an allowed directory that the agent cannot find (under berth-agent.service's
 * {@code PrivateTmp} its {@code /tmp} is not the host's; in a pod it is not mounted) allows
 * nothing, since it might hold links the agent cannot see.
 */
final class HostPaths {

    /** A host path resolved, or why it may not be mounted. */
    sealed interface Resolution {

        /** The path to hand Docker: absolute, without a symlink or {@code ..} in it. */
        record Allowed(String path) implements Resolution {
        }

        record Refused(String reason) implements Resolution {
        }
    }

    private HostPaths() {
    }

    static Resolution resolve(String source, List<Path> allowedDirectories) {
        Path path = Path.of(source);
        if (!path.isAbsolute()) {
            return notAllowed(source, allowedDirectories, "");
        }
        Path resolved;
        try {
            resolved = resolve(path.normalize());
        } catch (IOException e) {
            return new Resolution.Refused("host path " + source + " cannot be resolved on this host ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        List<Path> missing = new ArrayList<>();
        for (Path directory : allowedDirectories) {
            Optional<Path> real = realDirectory(directory);
            if (real.isEmpty()) {
                missing.add(directory);
            } else if (resolved.startsWith(real.get())) {
                return new Resolution.Allowed(resolved.toString());
            }
        }
        String where = resolved.toString().equals(source) ? "" : " resolves to " + resolved + ", which";
        String unseen = missing.isEmpty() ? "" : "; " + String.join(", ", missing.stream().map(Path::toString).toList())
                + (missing.size() == 1 ? " does" : " do") + " not exist as the agent sees the host";
        return notAllowed(source + where, allowedDirectories, unseen);
    }

    private static Resolution notAllowed(String what, List<Path> allowedDirectories, String unseen) {
        return new Resolution.Refused("host path " + what + " is not under an allowed host path of this host"
                + " (BERTH_AGENT_HOST_PATHS_ALLOWED: " + allowedDirectories + unseen + ")");
    }

    /**
     * The real path of {@code path} (absolute, normalised): its longest existing prefix with
     * every symlink followed, then the rest, which does not exist yet and which Docker creates
     * as directories when it mounts the path. A prefix that exists but cannot be followed (a
     * dangling link, a directory the agent may not search) fails.
     */
    private static Path resolve(Path path) throws IOException {
        Path existing = path;
        while (existing.getParent() != null && Files.notExists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing.toRealPath().resolve(existing.relativize(path));
    }

    private static Optional<Path> realDirectory(Path directory) {
        try {
            Path real = directory.toRealPath();
            return Files.isDirectory(real) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
