package dev.berth.agent.messaging;

import dev.berth.agent.disk.AtomicFile;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskStateChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The task state changes that Kafka has not acknowledged yet: at most one per task, kept in
 * memory and on local disk ({@code <dataDir>/agent/state-changes/<taskId>.json}), so that a
 * Kafka outage and an agent restart lose none of them.
 *
 * <ul>
 *   <li><b>Coalesced</b>: each change carries the whole task, so a newer change of a task
 *       replaces the one buffered; an older version than the one buffered is dropped.</li>
 *   <li><b>Bounded</b> by tasks: at {@code capacity} tasks a change of a task that is not
 *       buffered yet is refused ({@link #offer} returns false). The worker keeps what it
 *       knows and offers it again at its next sync, so a final STOPPED is delayed at the
 *       bound, never lost.</li>
 *   <li>A change's file is written (temporary file, then an atomic rename) before the change
 *       is taken, and deleted once Kafka acknowledged that version. A change whose file cannot
 *       be written (a full disk) is still taken and sent, since Kafka is the copy that counts;
 *       the task's older file stays. Such a change survives a restart only if Kafka had it by
 *       then, which is why a stopped task's containers stay until Kafka has acknowledged its
 *       STOPPED change (they hold its exit codes).</li>
 * </ul>
 */
public final class StateChangeOutbox {

    private static final Logger LOGGER = Logger.getLogger(StateChangeOutbox.class);
    private static final Pattern PLAIN_TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String SUFFIX = ".json";
    /** The temporary files that releases before {@link AtomicFile} wrote here. */
    private static final String LEGACY_TEMPORARY = "state-change*.tmp";

    private final Path dir;
    private final int capacity;
    private final RecordCodec codec;
    private final Map<String, TaskStateChange> byTask = new LinkedHashMap<>();
    /** Set by a write that failed, cleared by one that succeeds: one WARN line per spell of a bad disk. */
    private boolean unwritable;
    /** Counts the changes taken and the {@link #nudge}s: each ends a {@link #pause}. */
    private long nudges;

    private StateChangeOutbox(Path dir, int capacity, RecordCodec codec) {
        this.dir = dir;
        this.capacity = capacity;
        this.codec = codec;
    }

    /**
     * The outbox kept in {@code dir}, with the changes a previous run left there. A file that
     * cannot be read is set aside as {@code *.unreadable} with a WARN line; a temporary file
     * that a run killed while writing left behind is deleted (its change was never taken).
     */
    public static StateChangeOutbox open(Path dir, int capacity, RecordCodec codec) {
        StateChangeOutbox outbox = new StateChangeOutbox(dir, capacity, codec);
        try {
            Files.createDirectories(dir);
            removeLeftovers(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
                for (Path file : files) {
                    outbox.load(file);
                }
            }
        } catch (IOException e) {
            LOGGER.warnf("Cannot read the buffered state changes in %s (%s); starting with none", dir,
                    e.getMessage());
        }
        if (!outbox.byTask.isEmpty()) {
            LOGGER.infof("%d task state changes that Kafka had not acknowledged are sent again", outbox.byTask.size());
        }
        return outbox;
    }

    /** Best effort: a leftover temporary file holds no change that was taken, so none is lost by keeping it. */
    private static void removeLeftovers(Path dir) {
        try {
            AtomicFile.removeLeftovers(dir, LEGACY_TEMPORARY);
        } catch (IOException e) {
            LOGGER.warnf("Cannot look for leftover temporary files in %s (%s); loading the buffered state changes"
                    + " anyway", dir, e.getMessage());
        }
    }

    private void load(Path file) {
        try {
            RecordCodec.Decoded decoded = codec.decode(Files.readAllBytes(file));
            if (decoded instanceof RecordCodec.Decoded.Record r && r.value() instanceof TaskStateChange change) {
                keep(change);
                return;
            }
            LOGGER.warnf("%s holds no task state change; setting it aside", file);
        } catch (IOException e) {
            LOGGER.warnf("Cannot read %s (%s); setting it aside", file, e.getMessage());
        }
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOGGER.warnf("Cannot set %s aside (%s)", file, e.getMessage());
        }
    }

    private void keep(TaskStateChange change) {
        TaskStateChange held = byTask.get(change.taskId());
        if (held == null || change.version() > held.version()) {
            byTask.put(change.taskId(), change);
        }
    }

    /**
     * Takes a change: replaces the task's buffered one, or adds it while there is room.
     *
     * @return false when the change was not taken: the outbox is full and the task has no
     *         change buffered. The caller keeps the change and offers it again later
     */
    public synchronized boolean offer(TaskStateChange change) {
        TaskStateChange held = byTask.get(change.taskId());
        if (held == null && byTask.size() >= capacity) {
            return false;
        }
        if (held != null && change.version() <= held.version()) {
            return true;
        }
        // Taken even when the disk cannot keep it: Kafka, when it answers, is the copy that
        // counts, and a full disk must not stop the scheduler from hearing of the host.
        write(change);
        byTask.put(change.taskId(), change);
        nudges++;
        notifyAll();
        return true;
    }

    /**
     * Whether the change is on disk. On failure the task's older file stays: after a restart it
     * is sent, and dropped by whoever holds a newer version, or is the best that is left.
     */
    private boolean write(TaskStateChange change) {
        try {
            AtomicFile.replace(fileOf(change.taskId()), codec.encode(change), AtomicFile.Survives.PROCESS_CRASH);
        } catch (IOException e) {
            if (!unwritable) {
                unwritable = true;
                LOGGER.warnf("Task %s: cannot keep its %s state change in %s (%s); state changes that the disk"
                        + " cannot keep are still sent, but one that Kafka has not acknowledged when the agent"
                        + " restarts is lost (its containers stay until Kafka has the task's STOPPED change)",
                        change.taskId(), change.lastStatus(), dir, e.getMessage());
            } else {
                LOGGER.debugf("Task %s: cannot keep its %s state change in %s (%s)", change.taskId(),
                        change.lastStatus(), dir, e.getMessage());
            }
            return false;
        }
        if (unwritable) {
            unwritable = false;
            LOGGER.infof("State changes are kept in %s again", dir);
        }
        return true;
    }

    /** Kafka acknowledged {@code change}: forget it, unless a newer change of the task came meanwhile. */
    public synchronized void acknowledged(TaskStateChange change) {
        TaskStateChange held = byTask.get(change.taskId());
        if (held == null || held.version() != change.version()) {
            return;
        }
        byTask.remove(change.taskId());
        try {
            Files.deleteIfExists(fileOf(change.taskId()));
        } catch (IOException e) {
            LOGGER.warnf("Task %s: cannot delete %s (%s); the change is sent again after a restart, which its"
                    + " version makes harmless", change.taskId(), fileOf(change.taskId()), e.getMessage());
        }
        notifyAll();
    }

    /**
     * Kafka refused {@code change} for good (the record itself is at fault): it is forgotten as
     * an acknowledged one is, so that it is not retried for ever; the task's next change is sent.
     */
    public synchronized void refused(TaskStateChange change) {
        acknowledged(change);
    }

    /**
     * Drops what Kafka already holds, read back on start: a buffered change of a version at or
     * below the task's last report there (sent, then the agent died before it heard the
     * acknowledgement) must not be sent again over a newer one.
     */
    public synchronized void dropReported(java.util.Collection<TaskStateChange> onKafka) {
        for (TaskStateChange reported : onKafka) {
            TaskStateChange held = byTask.get(reported.taskId());
            if (held != null && held.version() <= reported.version()) {
                acknowledged(held);
            }
        }
    }

    /**
     * Drops the changes of tasks that the scheduler tombstoned while the agent was down, read
     * back on start before the sender runs: sent, a change would bring a forgotten task back on
     * the compacted berth.task-events with nobody left to end it.
     */
    public synchronized void dropForgotten(Set<String> forgottenTaskIds) {
        for (String taskId : List.copyOf(byTask.keySet())) {
            if (forgottenTaskIds.contains(taskId)) {
                LOGGER.infof("Task %s: the scheduler forgot it while this agent was down; its buffered %s change is"
                        + " dropped unsent", taskId, byTask.get(taskId).lastStatus());
                forget(taskId);
            }
        }
    }

    /** The task was tombstoned: its buffered change is dropped, unsent. */
    public synchronized void forget(String taskId) {
        if (byTask.remove(taskId) == null) {
            return;
        }
        try {
            Files.deleteIfExists(fileOf(taskId));
        } catch (IOException e) {
            LOGGER.warnf("Task %s: cannot delete %s (%s); its change would be sent after a restart", taskId,
                    fileOf(taskId), e.getMessage());
        }
        notifyAll();
    }

    /** The changes to send, oldest task first; one per task. */
    public synchronized List<TaskStateChange> pending() {
        return new ArrayList<>(byTask.values());
    }

    /** The buffered change of a task, if any. */
    public synchronized Optional<TaskStateChange> pendingOf(String taskId) {
        return Optional.ofNullable(byTask.get(taskId));
    }

    public synchronized int size() {
        return byTask.size();
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Waits up to {@code millis} until something is buffered or the outbox changes.
     *
     * @return whether anything is buffered
     */
    synchronized boolean awaitPending(long millis) throws InterruptedException {
        if (byTask.isEmpty()) {
            wait(millis);
        }
        return !byTask.isEmpty();
    }

    /** Waits until the outbox is empty, or {@code deadlineNanos} (System.nanoTime) has passed. */
    synchronized boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        while (!byTask.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Ends a {@link #pause} in progress: something wants the changes sent now (a flush). */
    synchronized void nudge() {
        nudges++;
        notifyAll();
    }

    /**
     * Waits {@code delay} (the sender's backoff after a failed round), or less: until a change
     * is taken or {@link #nudge} is called, so a change or a flush after Kafka's return does not
     * wait out the backoff.
     */
    synchronized void pause(Duration delay) throws InterruptedException {
        long seen = nudges;
        long deadline = System.nanoTime() + delay.toNanos();
        while (nudges == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Wakes whoever waits on the outbox (the sender, when it closes). */
    synchronized void wakeAll() {
        notifyAll();
    }

    private Path fileOf(String taskId) {
        String name = PLAIN_TASK_ID.matcher(taskId).matches() ? taskId
                : "x" + HexFormat.of().formatHex(taskId.getBytes(StandardCharsets.UTF_8));
        return dir.resolve(name + SUFFIX);
    }
}
