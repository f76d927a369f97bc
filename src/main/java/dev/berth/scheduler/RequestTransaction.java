package dev.berth.scheduler;

/**
 * The one transaction in which a request of berth.requests commits what it changes and its
 * answer. Its plans join it in two ways: a plan answered before it commits (RunTask's,
 * StartTask's) is {@linkplain #deferred() deferred} and sent with the answer; every other plan
 * is <em>staged</em> by the leader's writer: queued at once, applied to the state at once (so
 * the request reads its own writes and builds its answer), and held back from its transaction
 * until the answer joins it.
 *
 * <pre>
 *  OPEN ──answer──▶ ANSWERED      the answer rides with the request's last staged plan
 *   │
 *   └──split──▶ SPLIT             the writer stopped waiting (too long, or the request failed),
 *                                 or the request is about to wait itself ({@link #release}):
 *                                 plans commit alone, with the request's marker, and so does the answer
 *  OPEN / ANSWERED ──fail──▶ FAILED   a staged plan's transaction failed: nothing of it is kept
 * </pre>
 *
 * <p>Thread-safe: the request's thread stages and answers, the writer's committer reads and
 * splits.
 */
public final class RequestTransaction {

    /** Where the request's transaction stands. */
    public enum Phase {
        /** Plans may still be staged; the writer holds them back until the answer comes. */
        OPEN,
        /** The answer is in: it commits in the transaction of the last staged plan. */
        ANSWERED,
        /** Plans and answer commit on their own, as they come: the marker says the request acted. */
        SPLIT,
        /** A staged plan was not committed: the answer must not be either. */
        FAILED
    }

    private final DeferredPlans deferred = new DeferredPlans();
    private Phase phase = Phase.OPEN;
    private int staged;
    private Holder holder;
    private Object answer;

    /** The writer that holds a transaction's staged plans back for its answer. */
    public interface Holder {
        /** The transaction no longer waits for its answer: whatever waits on it may go on. */
        void released();
    }

    /** The plans that are answered before they commit, sent with the answer. */
    public DeferredPlans deferred() {
        return deferred;
    }

    public synchronized Phase phase() {
        return phase;
    }

    /** How many plans were staged so far. */
    public synchronized int staged() {
        return staged;
    }

    /**
     * A plan is staged by {@code writer}: returns its number (from 1), or 0 when it must commit
     * on its own (the transaction was split or failed, or another writer holds its plans: the
     * leadership changed meanwhile).
     */
    public synchronized int stage(Holder writer) {
        if (phase != Phase.OPEN || (holder != null && holder != writer)) {
            return 0;
        }
        holder = writer;
        return ++staged;
    }

    /**
     * The answer, in {@code writer}'s own form, joins the staged plans: true when it will commit
     * in the transaction of the last one; false when it goes on its own (nothing staged, split,
     * or staged by another writer). Throws when the staged plans failed.
     */
    public synchronized boolean answer(Holder writer, Object writersAnswer) {
        if (phase == Phase.FAILED) {
            throw new EcsException(EcsErrorType.ServerException, "The request's changes were not committed; nothing "
                    + "was changed.");
        }
        if (phase != Phase.OPEN || staged == 0 || holder != writer) {
            return false;
        }
        phase = Phase.ANSWERED;
        answer = writersAnswer;
        return true;
    }

    /** The answer to commit right after staged plan {@code number}, if that is the last one and the answer is in. */
    public synchronized Object answerAfter(int number) {
        return phase == Phase.ANSWERED && number == staged ? answer : null;
    }

    /**
     * The writer stops holding the plans back: those staged so far commit without the answer,
     * and whatever comes later commits on its own. No effect once answered or failed.
     */
    public synchronized void split() {
        if (phase == Phase.OPEN) {
            phase = Phase.SPLIT;
        }
    }

    /**
     * The request's thread is about to wait (for a lock, or for plans in flight) while its
     * staged plans are held back for its answer: the writer stops holding them, as
     * {@link #split} does, and is told at once. Without this, a request waiting for a lock whose
     * holder waits for the writer's next commit would hold every write back until the writer
     * gives up waiting. No effect unless plans are staged and the answer is not in.
     */
    public void release() {
        Holder released;
        synchronized (this) {
            if (phase != Phase.OPEN || staged == 0) {
                return;
            }
            phase = Phase.SPLIT;
            released = holder;
        }
        released.released();
    }

    /** A staged plan was not committed (and was taken back): returns the answer waiting for it, if any. */
    public synchronized Object fail() {
        phase = Phase.FAILED;
        Object waiting = answer;
        answer = null;
        return waiting;
    }
}
