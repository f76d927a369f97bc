package dev.berth.scheduler.messaging;

import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.ClusterRecord;
import dev.berth.protocol.DesiredTask;
import dev.berth.protocol.InstanceControl;
import dev.berth.protocol.KafkaSettings;
import dev.berth.protocol.LeaderRecord;
import dev.berth.protocol.Partitioning;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.TaskDefinitionRecord;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.StateWriter;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.jboss.logging.Logger;

/**
 * The leader's writer: each plan is one transaction of the producer that fenced every older
 * leader. Once Kafka has committed it, the plan is applied to the state (read-your-writes; the
 * state reader later sees the same versions and drops them).
 *
 * <p>A writer that cannot tell what became of a transaction, or that was fenced, is spent:
 * it refuses every later plan, and {@code onSpent} lets the leadership replace it (a new
 * producer, a new catch-up) or step down.
 */
final class LeaderWriter implements StateWriter {

    private static final Logger LOGGER = Logger.getLogger(LeaderWriter.class);

    /** Why a writer stopped writing. */
    enum Spent {
        /** Another producer with the transactional id took over: this replica no longer leads. */
        FENCED,
        /** A transaction's outcome is unknown: catch up again before the next plan. */
        UNCERTAIN
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaSettings settings;
    private final SchedulerState state;
    private final int taskPartitions;
    private final java.util.function.Consumer<Spent> onSpent;
    private final RecordCodec codec = new RecordCodec();
    private volatile boolean spent;

    LeaderWriter(KafkaProducer<String, byte[]> producer, KafkaSettings settings, SchedulerState state,
            int taskPartitions, java.util.function.Consumer<Spent> onSpent) {
        this.producer = producer;
        this.settings = settings;
        this.state = state;
        this.taskPartitions = taskPartitions;
        this.onSpent = onSpent;
    }

    boolean isSpent() {
        return spent;
    }

    @Override
    public synchronized void commit(List<StateChange> changes) {
        if (spent) {
            throw new EcsException(EcsErrorType.ServerException, "This scheduler is handing over its leadership; "
                    + "nothing was changed. Retry shortly.");
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (StateChange change : changes) {
            records.addAll(recordsOf(change));
        }
        boolean committing = false;
        try {
            producer.beginTransaction();
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record);
            }
            committing = true;
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            spend(Spent.FENCED, e);
            throw new EcsException(EcsErrorType.ServerException, "This scheduler lost its leadership while writing "
                    + "(another replica fenced it); the change may or may not have been applied. Retry: a retry "
                    + "with the same clientToken acts once.", e);
        } catch (KafkaException e) {
            throw failed(e, committing);
        }
        for (StateChange change : changes) {
            applyCommitted(change);
        }
    }

    /** The transaction did not commit as far as this writer knows: abort it if that is still possible. */
    private EcsException failed(KafkaException e, boolean committing) {
        try {
            producer.abortTransaction();
            LOGGER.warnf("A plan's transaction failed and was aborted: %s", e.getMessage());
            return new EcsException(EcsErrorType.ServerException, "Kafka did not commit the write; nothing was changed. "
                    + e.getMessage(), e);
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            spend(Spent.FENCED, fenced);
        } catch (KafkaException | IllegalStateException abortFailed) {
            spend(Spent.UNCERTAIN, e);
        }
        return new EcsException(EcsErrorType.ServerException, "Kafka's answer to the write was lost"
                + (committing ? " while committing" : "") + "; the change may or may not have been applied. Retry: "
                + "a retry with the same clientToken acts once. " + e.getMessage(), e);
    }

    private void spend(Spent why, Exception e) {
        if (!spent) {
            spent = true;
            LOGGER.warnf("The leader's writer stops writing (%s): %s", why, e.getMessage());
            onSpent.accept(why);
        }
    }

    private List<ProducerRecord<String, byte[]>> recordsOf(StateChange change) {
        if (change instanceof StateChange.Put put) {
            return List.of(recordOf(put.record()));
        } else if (change instanceof StateChange.Forget forget) {
            DesiredTask task = forget.task();
            return List.of(
                    new ProducerRecord<>(Topic.TASKS.name(settings), partitionOf(task), task.taskId(), null),
                    new ProducerRecord<>(Topic.TASK_EVENTS.name(settings), task.taskId(), null));
        } else if (change instanceof StateChange.ForgetClientToken token) {
            return List.of(new ProducerRecord<>(Topic.CLIENT_TOKENS.name(settings), token.key(), null));
        } else if (change instanceof StateChange.ForgetInstance instance) {
            return List.of(new ProducerRecord<>(Topic.INSTANCES.name(settings), instance.instanceId(), null));
        }
        throw new IllegalArgumentException("unknown change " + change);
    }

    private ProducerRecord<String, byte[]> recordOf(BerthRecord record) {
        byte[] value = codec.encode(record);
        if (record instanceof DesiredTask t) {
            return new ProducerRecord<>(Topic.TASKS.name(settings), partitionOf(t), t.taskId(), value);
        } else if (record instanceof ClusterRecord c) {
            return new ProducerRecord<>(Topic.CLUSTERS.name(settings), c.clusterName(), value);
        } else if (record instanceof TaskDefinitionRecord d) {
            return new ProducerRecord<>(Topic.TASK_DEFINITIONS.name(settings), d.taskDefinition().familyRevision(), value);
        } else if (record instanceof ClientTokenRecord token) {
            return new ProducerRecord<>(Topic.CLIENT_TOKENS.name(settings), token.key(), value);
        } else if (record instanceof InstanceControl control) {
            return new ProducerRecord<>(Topic.INSTANCE_CONTROL.name(settings), control.instanceId(), value);
        } else if (record instanceof LeaderRecord) {
            return new ProducerRecord<>(Topic.SCHEDULER_LEADER.name(settings), LeaderRecord.KEY, value);
        }
        throw new IllegalArgumentException("the scheduler does not write " + record.getClass().getSimpleName());
    }

    private int partitionOf(DesiredTask task) {
        return Partitioning.forInstance(task.instanceId(), taskPartitions);
    }

    private void applyCommitted(StateChange change) {
        if (change instanceof StateChange.Put put) {
            state.apply(asStored(put.record()));
        } else if (change instanceof StateChange.Forget forget) {
            state.forget(forget.task());
        } else if (change instanceof StateChange.ForgetClientToken token) {
            state.remove(Topic.CLIENT_TOKENS, token.key());
        } else if (change instanceof StateChange.ForgetInstance instance) {
            state.remove(Topic.INSTANCES, instance.instanceId());
        }
    }

    /**
     * The record as Kafka holds it, so that what this process applies now and what a restarted
     * scheduler replays later are the same value (JSON may normalize a field, e.g. a default).
     */
    private BerthRecord asStored(BerthRecord record) {
        if (codec.decode(codec.encode(record)) instanceof RecordCodec.Decoded.Record stored) {
            return stored.value();
        }
        throw new IllegalStateException("a " + record.getClass().getSimpleName() + " does not survive its own codec");
    }

    void close() {
        try {
            producer.close(java.time.Duration.ZERO);
        } catch (KafkaException e) {
            LOGGER.debugf("Closing the leader's producer: %s", e.getMessage());
        }
    }
}
