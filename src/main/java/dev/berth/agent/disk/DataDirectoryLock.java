package dev.berth.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;

/**
 * One agent at a time on a data directory: two would write each other's outbox, instance id
 * and layout. The agent holds an exclusive lock on {@code <data dir>/agent.lock} from its
 * start to its stop; the operating system lets it go when the process ends, however it ends.
 * The file sits beside {@code <data dir>/agent}, not in it, since a copied agent directory is
 * moved aside whole ({@code InstanceIdentity}).
 */
public final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "agent.lock";
    private static final Logger LOGGER = Logger.getLogger(DataDirectoryLock.class);

    private final FileChannel channel;

    private DataDirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code dataDir}.
     *
     * @throws IllegalStateException when another agent holds it, naming the directory
     * @throws UncheckedIOException  when the lock file cannot be opened
     */
    public static DataDirectoryLock take(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another agent in this process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("another agent uses the data directory " + dataDir + " (it holds " + file
                    + "); stop it, or give this one its own BERTH_DATA_DIR");
        }
        return new DataDirectoryLock(channel);
    }

    /** Lets the directory go; closing the channel releases its lock. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOGGER.debugf("Cannot close the data directory's lock file (%s); the lock goes with the process",
                    e.getMessage());
        }
    }
}
