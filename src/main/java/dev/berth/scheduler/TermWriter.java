package dev.berth.scheduler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The leader's writer as the control plane sees it: the writer of this replica's current
 * leadership term (each take-over gets a writer of its own, and a term ends with it).
 *
 * <p>A reconcile round plans on the state of the term it started in ({@link #inCurrentTerm}):
 * its plans are written by that term's writer or not at all. A plan of a term that has ended
 * is refused, "nothing was changed", rather than handed to the next term's writer, which would
 * write a decision taken before that term caught up with Kafka (after a pause, an election, a
 * take-over); the next round plans again on the new term's state. Any other plan (an API
 * call's) goes to the current term's writer, waiting a moment for a take-over under way.
 */
final class TermWriter implements StateWriter {

    private final Supplier<StateWriter> current;
    private final Supplier<StateWriter> awaited;
    /** The writer of the term that the round on this thread started in; none outside a round. */
    private final ThreadLocal<StateWriter> roundTerm = new ThreadLocal<>();

    /**
     * @param current the writer of the current term, without waiting; null when this replica does not lead
     * @param awaited the same, waiting a moment for a take-over under way; throws when none comes
     */
    TermWriter(Supplier<StateWriter> current, Supplier<StateWriter> awaited) {
        this.current = current;
        this.awaited = awaited;
    }

    /**
     * Runs a reconcile round in the current term: its plans go to this term's writer only.
     * Returns false, without running it, when this replica does not lead.
     */
    boolean inCurrentTerm(Runnable round) {
        StateWriter term = current.get();
        if (term == null) {
            return false;
        }
        roundTerm.set(term);
        try {
            round.run();
        } finally {
            roundTerm.remove();
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> submit(List<StateChange> changes) {
        StateWriter term = roundTerm.get();
        if (term == null) {
            return RequestScope.submit(awaited.get(), changes);
        }
        if (current.get() != term) {
            return CompletableFuture.failedFuture(new EcsException(EcsErrorType.ServerException, "The leadership "
                    + "term this plan was made in has ended; nothing was changed. The next round plans again."));
        }
        return RequestScope.submit(term, changes);
    }

    @Override
    public void drain() {
        StateWriter term = roundTerm.get();
        StateWriter writer = term != null ? term : current.get();
        if (writer != null) {
            RequestScope.drain(writer);
        }
    }
}
