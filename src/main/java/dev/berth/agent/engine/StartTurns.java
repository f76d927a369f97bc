package dev.berth.agent.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which tasks may create and start their containers now: at most {@code limit} at once, the
 * engine's side of the runtime's bound on creates and starts. A task without a turn does not
 * wait on a thread: it is queued, gives its thread back, and is woken when a turn is its own.
 * So a burst of tasks holds a few task threads, not one each, and a StopTask that comes
 * meanwhile finds a thread free at once, however many tasks wait to start (they would
 * otherwise fill every task thread, each blocked until the engine could take its create).
 *
 * <p>Turns go in the order asked. A turn given back goes straight to the task first in line,
 * which is then woken, so a task that comes later cannot take it first. A task holds its turn
 * while it creates and starts, not while it pulls an image. A turn given to a task that no
 * longer needs it (stopped meanwhile) comes back at the end of that task's next sync.
 *
 * <p>Bounded by the tasks of this instance: each task is held or queued at most once.
 */
final class StartTurns {

    private final int limit;
    private final Set<String> holders = new HashSet<>();
    private final Deque<String> waiting = new ArrayDeque<>();
    private volatile Consumer<String> wake = taskId -> { };

    private StartTurns(int limit) {
        this.limit = limit;
    }

    /** At most {@code limit} tasks creating and starting at once. */
    static StartTurns of(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the container start parallelism must be at least 1: " + limit);
        }
        return new StartTurns(limit);
    }

    /** No bound: every task has its turn at once. */
    static StartTurns unbounded() {
        return new StartTurns(Integer.MAX_VALUE);
    }

    /** Who wakes a task whose turn has come; the engine sets it. */
    void wakeWith(Consumer<String> wake) {
        this.wake = wake;
    }

    /**
     * Whether the task holds a turn: one it held already, one given to it while it waited, or
     * a free one (there is none while anyone is in line: a turn given back goes to the first in
     * line). Otherwise it is in line (once), and woken when its turn comes.
     */
    synchronized boolean take(String taskId) {
        if (holders.contains(taskId)) {
            return true;
        }
        if (holders.size() < limit) {
            waiting.remove(taskId);
            holders.add(taskId);
            return true;
        }
        if (!waiting.contains(taskId)) {
            waiting.addLast(taskId);
        }
        return false;
    }

    /** Gives the task's turn back, if it holds one, to the task first in line. */
    void giveBack(String taskId) {
        String next;
        synchronized (this) {
            if (!holders.remove(taskId)) {
                return;
            }
            next = waiting.pollFirst();
            if (next == null) {
                return;
            }
            holders.add(next);
        }
        wake.accept(next);
    }

    /** The task no longer starts anything (stopped, forgotten): out of line, and its turn given back. */
    void leave(String taskId) {
        synchronized (this) {
            waiting.remove(taskId);
        }
        giveBack(taskId);
    }

    /** Tasks holding a turn now. */
    synchronized int holding() {
        return holders.size();
    }

    /** Tasks in line for a turn. */
    synchronized int waiting() {
        return waiting.size();
    }
}
