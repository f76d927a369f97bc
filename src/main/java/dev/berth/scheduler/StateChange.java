package dev.berth.scheduler;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.Topic;

/** One change of a plan; a plan's changes are written together, as one Kafka transaction. */
public sealed interface StateChange {

    /** A new version of an entity, to its topic (a desired task to its instance's partition). */
    record Put(BerthRecord record) implements StateChange {
    }

    /**
     * Ends a task's life: tombstones its desired record (on its instance's partition) and its
     * agent's reports, so that the compacted topics stay bounded.
     */
    record Forget(DesiredTask task) implements StateChange {
    }

    /**
     * Tombstones a report on berth.task-events whose task was forgotten before it came (an
     * agent that was down past the retention sent it late): nothing else would ever end it.
     */
    record ForgetReport(String taskId) implements StateChange {
    }

    /** Tombstones a deregistered container instance's registration. */
    record ForgetInstance(String instanceId) implements StateChange {
    }

    /** DeleteAccountSetting: tombstones one principal's setting on berth.account-settings. */
    record ForgetAccountSetting(String key) implements StateChange {
    }

    /** Ends a client token's life once it is past the idempotency window. */
    record ForgetClientToken(String key) implements StateChange {
    }

    /**
     * A record for a topic the state does not keep (berth.responses, berth.dead-letters),
     * written in the plan's transaction: it is visible exactly when the rest of the plan is.
     */
    record Publish(Topic topic, String key, byte[] value) implements StateChange {
    }

    /**
     * Commits a consumer group's position with the plan (Kafka's {@code sendOffsetsToTransaction}),
     * never by a fenced leader: a plain one in the plan's transaction, so the records before
     * {@code nextOffset} count as consumed exactly when the plan is committed; one with a
     * {@link Watermark} (records answered side by side, each answer with a marker of its own) in
     * that transaction or a later one.
     */
    record Consume(String groupId, String topic, int partition, long nextOffset, Watermark watermark)
            implements StateChange {

        /** The position after one record, committed as it is. */
        public Consume(String groupId, String topic, int partition, long nextOffset) {
            this(groupId, topic, partition, nextOffset, null);
        }
    }

    /**
     * A partition whose records are answered side by side, in any order: the position its
     * answers may commit depends on which other records are answered by then, so the writer
     * asks when it builds the transaction, and says once the transaction has committed. The
     * writer builds and commits transactions one after the other, so the positions it commits
     * only grow.
     */
    interface Watermark {
        /**
         * The position to commit in a transaction that answers the records at {@code offsets}:
         * below it, every record is answered in this transaction or an earlier one.
         */
        long positionWith(java.util.Set<Long> offsets);

        /** The transaction that answered the records at {@code offsets} committed. */
        void committed(java.util.Set<Long> offsets);
    }
}
