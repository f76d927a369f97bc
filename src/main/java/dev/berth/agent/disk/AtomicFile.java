package dev.berth.agent.disk;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Replaces a file of the agent's data directory whole: the content goes to a temporary file
 * beside it ({@code .<name>.tmp}, readable by the agent's user only, as the files themselves
 * are), which is then renamed over the file in one step. An interrupt of the writing thread
 * does not cut a replacement short (a task thread that reports while the agent stops is
 * interrupted): the content is written with a stream, which ignores interrupts, where a
 * {@link FileChannel} would close itself and fail the write.
 */
public final class AtomicFile {

    /** What a replacement survives once {@link #replace} has returned. */
    public enum Survives {
        /** The agent being killed: the content is in the kernel's page cache. */
        PROCESS_CRASH,
        /**
         * The host crashing or losing power too: the file's content and the directory's entry
         * for it are synced to the disk, which costs a disk flush or two.
         */
        HOST_CRASH
    }

    private static final Logger LOGGER = Logger.getLogger(AtomicFile.class);
    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private AtomicFile() {
    }

    /**
     * Replaces {@code file}'s content with {@code content}, creating its directory if needed.
     * On failure the file keeps its old content (or stays absent) and no temporary file is left.
     */
    public static void replace(Path file, byte[] content, Survives survives) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = temporaryOf(file);
        try {
            Files.deleteIfExists(temp);
            create(temp);
            try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
                out.write(content);
                if (survives == Survives.HOST_CRASH) {
                    out.getFD().sync();
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        if (survives == Survives.HOST_CRASH) {
            syncDirectory(dir);
        }
    }

    /**
     * Deletes the temporary files that replacements of files in {@code dir} left when the agent
     * was killed mid-write, for a directory of files that are not all written again (a next
     * write of the same file takes its temporary file over in any case). Each is deleted on its
     * own: one that cannot be deleted costs a WARN line, and the others still go.
     *
     * @param legacyGlob the temporary files that releases before this class named otherwise, or null
     * @throws IOException when {@code dir} cannot be listed
     */
    public static void removeLeftovers(Path dir, String legacyGlob) throws IOException {
        String glob = legacyGlob == null ? TEMP_PREFIX + "*" + TEMP_SUFFIX
                : "{" + TEMP_PREFIX + "*" + TEMP_SUFFIX + "," + legacyGlob + "}";
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, glob)) {
            for (Path temp : temps) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOGGER.warnf("Cannot delete %s, left by a write that was cut short (%s)", temp, e.getMessage());
                }
            }
        }
    }

    static Path temporaryOf(Path file) {
        return file.resolveSibling(TEMP_PREFIX + file.getFileName() + TEMP_SUFFIX);
    }

    private static void create(Path temp) throws IOException {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        try {
            Files.createFile(temp, ownerOnly);
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp); // a file system without POSIX permissions
        }
    }

    /**
     * A rename is durable once its directory is synced; a file system that cannot sync one is
     * left as it is. A directory has no stream to sync it with, so the thread's interrupt is set
     * aside meanwhile.
     */
    private static void syncDirectory(Path dir) {
        boolean interrupted = Thread.interrupted();
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOGGER.debugf("Cannot sync the directory %s (%s); its files are written, but a host crash could"
                    + " lose their last rename", dir, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOGGER.debugf("Cannot delete %s (%s); the next write of its file takes it over", temp, e.getMessage());
        }
    }
}
